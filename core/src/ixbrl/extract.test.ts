import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IxbrlExtractor, extractIxbrl, type ExtractedFiling } from './extract.ts';
import { companyKey } from './company.ts';

const FACE = 'us-gaap:DebtInstrumentFaceAmount';
const RATE = 'us-gaap:DebtInstrumentInterestRateStatedPercentage';
const fact = (name: string, value: string) => `<ix:nonFraction name="${name}" contextRef="c1" unitRef="usd" decimals="-5" scale="6">${value}</ix:nonFraction>`;

const DOC = `<?xml version="1.0"?><html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><head><title>acme 10-K</title><style>p{}</style></head><body>
<div style="display:none"><ix:header><ix:hidden>
  <ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c1">0000012345</ix:nonNumeric>
  ${fact(FACE, '7')}
</ix:hidden><ix:resources><xbrli:context id="c1"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000012345</xbrli:identifier></xbrli:entity></xbrli:context></ix:resources></ix:header></div>
<p>Cover: <ix:nonNumeric name="dei:EntityRegistrantName" contextRef="c1">Acme&#160;Widgets,
  Inc.</ix:nonNumeric></p>
<ix:nonNumeric name="us-gaap:DebtDisclosureTextBlock" contextRef="c1" continuedAt="k1">
<p style="margin:0">The notes of $<ix:nonFraction name="${FACE}" contextRef="c1">500.0</ix:nonFraction>&nbsp;million bear
   interest at <span><ix:nonFraction name="${RATE}" contextRef="c1">5.25</ix:nonFraction>%</span> per&#160;annum&amp;more.</p>
</ix:nonNumeric>
<table><tr><td>Notes</td><td>${fact(FACE, '500.0')}</td></tr></table>
<div>First line<br/>second line</div>
<div style="DISPLAY: none">secret ${fact(RATE, '1.0')}</div>
<div/>after an empty div
<ix:continuation id="k1"><p>Continued: a term loan of $${fact(FACE, '20')} million.</p></ix:continuation>
<script>var x = "<p>not prose</p>";</script>
</body></html>`;

function factText(doc: ExtractedFiling, i: number): string {
  return doc.text.slice(doc.facts[i].start, doc.facts[i].end);
}

describe('extractIxbrl', () => {
  const doc = extractIxbrl(DOC);

  it('keeps visible prose only, one run per block, whitespace collapsed and entities decoded', () => {
    expect(doc.text.split('\n').filter((l) => l !== '')).toEqual([
      'Cover: Acme Widgets, Inc.',
      'The notes of $500.0 million bear interest at 5.25% per annum&more.',
      'First line',
      'second line',
      'after an empty div',
      'Continued: a term loan of $20 million.',
    ]);
    for (const run of doc.runs) expect(doc.text.slice(run.start, run.end)).not.toMatch(/^\s|\s$|\n/);
  });

  it('places every ix:nonFraction as prose, table or hidden, and spans the prose ones exactly', () => {
    expect(doc.facts.map((f) => [f.name, f.place])).toEqual([
      [FACE, 'hidden'],
      [FACE, 'prose'],
      [RATE, 'prose'],
      [FACE, 'table'],
      [RATE, 'hidden'],
      [FACE, 'prose'],
    ]);
    expect([1, 2, 5].map((i) => factText(doc, i))).toEqual(['500.0', '5.25', '20']);
  });

  it('keeps every fact\'s displayed text, in tables and hidden parts too', () => {
    expect(doc.facts.map((f) => f.value)).toEqual(['7', '500.0', '5.25', '500.0', '1.0', '20']);
    const nested = extractIxbrl(`<p><ix:nonFraction name="${FACE}">1,<b>250</b>\n .5</ix:nonFraction></p>`);
    expect(nested.facts[0]!.value).toBe('1,250 .5');
  });

  it('reads the company identifiers from the hidden header and the cover', () => {
    expect(doc.entityCik).toBe('0000012345');
    expect(doc.contextCik).toBe('0000012345');
    expect(doc.registrantName).toBe('Acme Widgets, Inc.');
    expect(companyKey(doc, 'acme.htm')).toBe('cik:0000012345');
    expect(companyKey({ ...doc, entityCik: undefined }, 'acme.htm')).toBe('cik:0000012345');
    expect(companyKey({ ...doc, entityCik: '12345', contextCik: undefined }, 'x')).toBe('cik:0000012345');
    expect(companyKey({ ...doc, entityCik: undefined, contextCik: undefined }, 'acme.htm')).toBe('name:ACME WIDGETS, INC.');
    expect(companyKey({ ...doc, entityCik: undefined, contextCik: undefined, registrantName: undefined }, 'acme.htm')).toBe('file:acme.htm');
  });

  it('keeps the first dei:DocumentType and dei:DocumentPeriodEndDate, inner tags and entities removed, however the document is chunked', () => {
    const cover =
      '<p>FORM <ix:nonNumeric name="dei:DocumentType" contextRef="c">10-K</ix:nonNumeric></p>' +
      '<p>for the year ended <ix:nonNumeric contextRef="c" name="dei:DocumentPeriodEndDate"><span>December&#160;31,</span> 2022</ix:nonNumeric></p>' +
      '<p><ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="c2">June 30, 2021</ix:nonNumeric></p>' +
      '<p><ix:nonNumeric name="constructor" contextRef="c">not a cover fact</ix:nonNumeric></p>';
    for (let cut = 1; cut < cover.length; cut += 7) {
      const extractor = new IxbrlExtractor();
      extractor.write(cover.slice(0, cut));
      extractor.write(cover.slice(cut));
      const filing = extractor.end();
      expect([filing.documentType, filing.documentPeriodEndDate], `cut at ${cut}`).toEqual(['10-K', 'December 31, 2022']);
    }
    expect(extractIxbrl('<p>no cover facts</p>')).not.toHaveProperty('documentType');
  });

  it('counts ix: elements, so that plain HTML is recognised', () => {
    expect(doc.ixElements).toBeGreaterThan(5);
    expect(extractIxbrl('<html><body><p>Just text, $5 million.</p></body></html>').ixElements).toBe(0);
  });

  it('gives the same result whatever the chunking of the stream', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: DOC.length - 1 }), { maxLength: 12 }), (cuts) => {
        const extractor = new IxbrlExtractor();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          extractor.write(DOC.slice(from, cut));
          from = cut;
        }
        extractor.write(DOC.slice(from));
        expect(extractor.end()).toEqual(doc);
      }),
      { numRuns: 60 },
    );
  });

  // AMC Entertainment's 10-Q (June 30, 2023), Note 1: a sentence of two nested text blocks, cut by a page break.
  // It was listed twice in the Filing screen: "...$100.0 million aggregate principal" beside the whole sentence
  // of Note 7, the same words.
  const pageBreak = (lastWords: string, next: string, between = '<div><p>8</p></div><div><p><a href="#toc">Table of Contents</a></p></div>') =>
    `<div><ix:nonNumeric name="us-gaap:LiquidityTextBlock" contextRef="c" continuedAt="a1"><ix:nonNumeric name="us-gaap:DebtTextBlock" contextRef="c" continuedAt="b1">` +
    `<p>On February 7, 2023, the Company issued units in exchange for $${fact(FACE, '100.0')} million ${lastWords}</p></ix:nonNumeric></ix:nonNumeric></div>` +
    between +
    `<div><ix:continuation id="a1" continuedAt="a2"><ix:continuation id="b1"><p>${next}</p><p>The Company recorded $${fact(FACE, '193.7')} million.</p>` +
    `</ix:continuation></ix:continuation></div>`;

  it('joins a sentence that a page break cut between a text block and its continuation, without the page furniture', () => {
    const d = extractIxbrl(pageBreak('aggregate principal', `amount of the Company’s ${fact(RATE, '10')}% Notes due 2026.`));
    expect(d.text.split('\n').filter((l) => l !== '')).toEqual([
      'On February 7, 2023, the Company issued units in exchange for $100.0 million aggregate principal amount of the Company’s 10% Notes due 2026.',
      'The Company recorded $193.7 million.',
    ]);
    expect([0, 1, 2].map((i) => factText(d, i))).toEqual(['100.0', '10', '193.7']);
    for (const run of d.runs) expect(d.text.slice(run.start, run.end)).not.toMatch(/^\s|\s$|\n/);
  });

  it('does not join what the page break did not cut: a finished sentence, a heading, content with facts between', () => {
    const lines = (doc: string) => extractIxbrl(doc).text.split('\n').filter((l) => l !== '');
    // the part ended its sentence
    expect(lines(pageBreak('of notes.', 'amount of the Company’s notes.'))).toHaveLength(5);
    // a capital (or a footnote's "(1)") after the break starts something new: the page furniture still goes
    expect(lines(pageBreak('in Notes Due 2026', 'Debt consists of the following.'))).toEqual([
      'On February 7, 2023, the Company issued units in exchange for $100.0 million in Notes Due 2026',
      'Debt consists of the following.',
      'The Company recorded $193.7 million.',
    ]);
    // a fact between the parts: that is content, kept where it stands
    const withFact = lines(pageBreak('aggregate principal', 'amount of notes.', `<div><p>Revenue was $${fact(FACE, '5')} million.</p></div>`));
    expect(withFact).toContain('Revenue was $5 million.');
    expect(withFact).toContain('amount of notes.');
  });

  it('joins a cut sentence whatever the chunking of the stream', () => {
    const doc = pageBreak('aggregate principal', `amount of the Company’s ${fact(RATE, '10')}% Notes due 2026.`);
    const whole = extractIxbrl(doc);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: doc.length - 1 }), { maxLength: 12 }), (cuts) => {
        const extractor = new IxbrlExtractor();
        let from = 0;
        for (const cut of [...cuts].sort((x, y) => x - y)) {
          extractor.write(doc.slice(from, cut));
          from = cut;
        }
        extractor.write(doc.slice(from));
        expect(extractor.end()).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a fact that ends a run inside the run', () => {
    const d = extractIxbrl(`<p>rate of ${fact(RATE, ' 4.5 ')}</p><p>next</p>`);
    expect(factText(d, 0)).toBe('4.5');
    expect(d.text).toBe('rate of 4.5\nnext\n');
  });
});
