import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIxbrl } from '@finer-lens/core/ixbrl/extract.ts';
import { EXAMPLES } from './examples.ts';
import { checkLanguage, sample } from './language.ts';

const ENGLISH =
  'On March 15, 2023, the Company issued $500 million aggregate principal amount of 5.25% Senior Notes due 2030. ' +
  'Interest on the notes is payable semi-annually. The revolving credit facility provides for borrowings of up to ' +
  '$1.0 billion and bears interest at SOFR plus 1.25%.';

describe('checkLanguage', () => {
  it('takes English 10-K prose and the example paragraphs for English', () => {
    expect(checkLanguage(ENGLISH)).toMatchObject({ english: true, otherScriptShare: 0 });
    for (const e of EXAMPLES) expect(checkLanguage(e.text).english, e.id).toBe(true);
  });

  it('takes a whole 10-Q with its tables of numbers for English', () => {
    const html = readFileSync(new URL('../../e2e/fixtures/tiny-10q.htm', import.meta.url), 'utf8');
    expect(checkLanguage(extractIxbrl(html).text).english).toBe(true);
    // a paste of a financial statement: labels and columns of numbers
    const rows = Array.from({ length: 200 }, (_, i) => `Total revenue ${i},${(i * 37) % 1000} $ ${i * 3}.5 (${i}) Net income ${i * 11}`);
    const statement = `${ENGLISH}\n${rows.join('\n')}\n${ENGLISH}`;
    expect(checkLanguage(statement).english).toBe(true);
  });

  it('takes short fragments and pasted HTML for English: too few words to judge', () => {
    expect(checkLanguage('Notes at 4.5% due 2030.').english).toBe(true);
    expect(checkLanguage('Revolving credit facility: $500 million').english).toBe(true);
    expect(checkLanguage('<script>window.__ran = 1</script><img src=x onerror="window.__ran = 2"> Notes at 4.5% <b>due</b> 2030.').english).toBe(true);
  });

  it('says Chinese and Japanese are not English, even a clause beside English', () => {
    const chinese = '公司于2023年发行了本金总额为5亿美元、利率为5.25%的优先票据，该票据将于2030年到期。';
    const zh = checkLanguage(chinese);
    expect(zh).toMatchObject({ english: false, otherScript: 'Chinese or Japanese' });
    expect(zh.reason).toMatch(/Chinese or Japanese script/);
    expect(checkLanguage('Die Anleihen über 500 Mio. € werden mit 4,25 % verzinst. 債券の利率は年3.5%です。').english).toBe(false);
    expect(checkLanguage(`${ENGLISH} ${chinese} ${chinese}`).english).toBe(false);
  });

  it('says German, French and Russian prose are not English', () => {
    const german =
      'Am 15. März 2023 begab die Gesellschaft vorrangige Schuldverschreibungen im Gesamtnennbetrag von 500 Millionen Euro ' +
      'mit einem Zinssatz von 5,25 % und einer Laufzeit bis 2030. Die Zinsen sind halbjährlich zahlbar. Die revolvierende ' +
      'Kreditfazilität sieht Kreditaufnahmen von bis zu 1,0 Milliarden Euro vor.';
    const french =
      "Le 15 mars 2023, la Société a émis des obligations de premier rang d'un montant nominal total de 500 millions d'euros " +
      "portant intérêt au taux de 5,25 % et arrivant à échéance en 2030. Les intérêts sont payables semestriellement et la " +
      'facilité de crédit renouvelable permet des emprunts pouvant atteindre un milliard.';
    const russian = 'Компания выпустила старшие облигации на сумму 500 миллионов долларов со ставкой 5,25% годовых со сроком погашения в 2030 году.';
    expect(checkLanguage(german)).toMatchObject({ english: false });
    expect(checkLanguage(german).reason).toMatch(/common English words/);
    expect(checkLanguage(french).english).toBe(false);
    expect(checkLanguage(russian)).toMatchObject({ english: false, otherScript: 'Cyrillic' });
  });

  it('reads a long text in evenly spread slices', () => {
    const text = 'a'.repeat(150_000) + '債'.repeat(50_000);
    const s = sample(text, 10_000);
    expect(s.length).toBeLessThan(10_100);
    expect(s).toContain('債');
    expect(s.startsWith('a')).toBe(true);
  });
});
