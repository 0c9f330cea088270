import { describe, expect, it } from 'vitest';
import { CoverFactsScanner } from './cover.ts';

const DOC =
  '<p>FORM <ix:nonNumeric name="dei:DocumentType" contextRef="c">10-K</ix:nonNumeric></p>' +
  '<p>for the year ended <ix:nonNumeric contextRef="c" name="dei:DocumentPeriodEndDate"><span>December&#160;31,</span> 2022</ix:nonNumeric></p>' +
  '<p><ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="c2">June 30, 2021</ix:nonNumeric></p>';

describe('CoverFactsScanner', () => {
  it('reads document type and period end date, inner tags and entities removed, first one kept', () => {
    const scanner = new CoverFactsScanner();
    scanner.write(DOC);
    expect(scanner.result()).toEqual({ documentType: '10-K', periodEndDate: 'December 31, 2022' });
  });

  it('finds a fact split across chunks at any point', () => {
    for (let cut = 1; cut < DOC.length; cut += 7) {
      const scanner = new CoverFactsScanner();
      scanner.write(DOC.slice(0, cut));
      scanner.write(DOC.slice(cut));
      expect(scanner.result(), `cut at ${cut}`).toEqual({ documentType: '10-K', periodEndDate: 'December 31, 2022' });
    }
  });

  it('leaves out what the filing does not have', () => {
    const scanner = new CoverFactsScanner();
    scanner.write('<html><body><p>no cover facts</p></body></html>');
    expect(scanner.result()).toEqual({});
  });
});
