import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkWindowOptions, encodeWindows, ownerWindows, planWindows } from './windows.ts';

const SPECIALS = { cls: 101, sep: 102 };

describe('planWindows', () => {
  it('keeps a sentence that fits in one window whole', () => {
    expect(planWindows([1, 2, 3], { maxLength: 8, stride: 2 })).toEqual([{ start: 0, end: 3 }]);
  });

  it('overlaps consecutive windows by at most `stride` sub-tokens, on word boundaries', () => {
    // budget 4: [0,2) = 2+2; next starts where the shared part stays <= 2 sub-tokens: word 1
    expect(planWindows([2, 2, 2, 2], { maxLength: 6, stride: 2 })).toEqual([
      { start: 0, end: 2 }, { start: 1, end: 3 }, { start: 2, end: 4 },
    ]);
    expect(planWindows([2, 2, 2, 2], { maxLength: 6, stride: 0 })).toEqual([{ start: 0, end: 2 }, { start: 2, end: 4 }]);
  });

  it('gives a word longer than a window a window of its own (its first sub-tokens)', () => {
    expect(planWindows([1, 50, 1], { maxLength: 10, stride: 2 })).toEqual([{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 }]);
    const [, long] = encodeWindows([[5], Array(50).fill(7), [9]], SPECIALS, { maxLength: 10, stride: 2 });
    expect(long!.ids).toHaveLength(10);
    expect(long!.ids.at(-1)).toBe(102);
  });

  it('rejects a window below 3 sub-tokens and a stride over half of it', () => {
    expect(() => checkWindowOptions({ maxLength: 2, stride: 0 }, '--max-length')).toThrow(/--max-length: max length 2; expected an integer of at least 3/);
    expect(() => planWindows([1], { maxLength: 10, stride: 5 })).toThrow(/stride 5; expected an integer from 0 to half/);
  });
});

describe('windows over a 2,000-word input', () => {
  const counts = Array.from({ length: 2000 }, (_, i) => 1 + ((i * 7919) % 4)); // 1-4 sub-tokens per word
  const pieces = counts.map((n, w) => Array.from({ length: n }, (_, k) => 1000 + w * 4 + k));
  const windows = encodeWindows(pieces, SPECIALS, { maxLength: 128, stride: 32 });

  it('drops no word: every word is in a window, whole, and every window fits', () => {
    expect(windows.length).toBeGreaterThan(20);
    const seen = new Set<number>();
    for (const win of windows) {
      expect(win.ids.length).toBeLessThanOrEqual(128);
      expect(win.ids[0]).toBe(101);
      expect(win.ids.at(-1)).toBe(102);
      for (let w = win.firstWord; w < win.endWord; w++) {
        seen.add(w);
        const at = win.wordIds.indexOf(w);
        expect(win.ids.slice(at, at + pieces[w]!.length)).toEqual(pieces[w]);
      }
    }
    expect(seen.size).toBe(2000);
  });

  it("takes each word from the window where it is most central", () => {
    const owner = ownerWindows(windows, 2000);
    expect(owner.every((k) => k >= 0)).toBe(true);
    owner.forEach((k, w) => {
      const centrality = (win: (typeof windows)[number]) => {
        const pos = win.wordIds.indexOf(w);
        return pos < 0 ? -1 : Math.min(pos, win.ids.length - 1 - pos);
      };
      for (const other of windows) expect(centrality(windows[k]!)).toBeGreaterThanOrEqual(centrality(other));
    });
    // a word in an overlap is not taken from the window where it sits at the edge
    const last = windows[0]!.endWord - 1;
    expect(owner[last]).toBe(1);
  });

  it('holds for any word lengths, window and stride (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 300 }), fc.integer({ min: 3, max: 40 }), fc.integer({ min: 0, max: 19 }), (cs, maxLength, s) => {
        const stride = Math.min(s, Math.floor((maxLength - 2) / 2));
        const plan = planWindows(cs, { maxLength, stride });
        expect(plan[0]!.start).toBe(0);
        expect(plan.at(-1)!.end).toBe(cs.length);
        plan.forEach((win, i) => {
          if (i > 0) {
            expect(win.start).toBeGreaterThan(plan[i - 1]!.start);
            expect(win.start).toBeLessThanOrEqual(plan[i - 1]!.end); // no gap
          }
        });
      }),
    );
  });
});
