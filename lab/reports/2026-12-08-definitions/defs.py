"""Definition rules (labels.md 'Not:' clauses) as verifier training labels."""
import re
HASD = re.compile(r'\d')
def segs(low, i):
    # words since the previous number (max 8) and until the next number (max 8)
    a = i - 1
    while a >= 0 and i - a <= 8 and not HASD.search(low[a]): a -= 1
    b = i + 1
    while b < len(low) and b - i <= 8 and not HASD.search(low[b]): b += 1
    return low[a + 1:i], low[i + 1:b]
def has(ws, *phr):
    s = ' ' + ' '.join(ws) + ' '
    return any(' ' + p + ' ' in s or (p.endswith('*') and ' ' + p[:-1] in s) for p in phr)
def not_cap(low, i):
    before, after = segs(low, i)
    if has(after, 'letters of credit', 'letter of credit', 'swingline', 'swing line', 'swing-line', 'sublimit*', 'sub-limit*', 'second lien'): return 'sublimit'
    if has(before, 'sublimit*', 'sub-limit*', 'swingline', 'swing line'): return 'sublimit'
    if has(before, 'additional', 'incremental', 'accordion') or (has(before, 'increase*', 'expand*') and has(before, 'by')): return 'accordion'
    if has(before, 'commercial paper') or has(after[:4], 'commercial paper'): return 'cp'
    return None
def not_spread(low, i):
    before, after = segs(low, i)
    if has(after[:4], 'credit spread adjustment', 'spread adjustment') or has(before, 'adjustment', 'adjustment of'): return 'csa'
    if 'plus' not in before[-2:] and has(before[-4:], 'floor', 'floor of', 'greater of', 'less than', 'minimum') or has(after[:3], 'floor'): return 'floor'
    one = re.compile(r'^1(\.0+)?$')
    unit = ('%', 'percent', 'basis', 'bps')
    nxt = lambda j: low[j] if j < len(low) else ''
    if nxt(i + 1) == 'to' and one.match(nxt(i + 2)) and nxt(i + 3) not in unit: return 'ratio'
    if i >= 2 and low[i - 1] == 'to' and one.match(low[i]) and HASD.search(low[i - 2]) and nxt(i + 1) not in unit: return 'ratio'
    if (has(before[-2:], 'by') and has(before, 'increase*', 'decrease*', 'change*')) or has(after[1:3], 'increase', 'decrease', 'change'): return 'change'
    return None
def not_rate(low, i):
    before, after = segs(low, i)
    if has(before[-5:], 'effective', 'weighted', 'weighted-average', 'weighted average', 'discount', 'incremental', 'yield', 'average'): return 'effrate'
    return None
RULES = {'cap': not_cap, 'spread': not_spread, 'rate': not_rate}
def rule(short, tokens, i):
    f = RULES.get(short)
    return f([t.lower() for t in tokens], i) if f else None
