import { describe, expect, it } from 'vitest';
import { falseAlarmExcerpt } from './falseAlarms.ts';

const example = (sentence: string, word: number, text: string) => ({ source: 'a.htm', sentence, word, text, type: 'DebtInstrumentFaceAmount', score: 0.9 });

describe('falseAlarmExcerpt', () => {
  it('keeps the entity and a few words either side, marking what was cut', () => {
    const sentence = 'one two three four five 25.6 % six seven eight nine ten';
    expect(falseAlarmExcerpt(example(sentence, 5, '25.6'), 2)).toEqual({ before: '… four five ', text: '25.6', after: ' % six …' });
    expect(falseAlarmExcerpt(example(sentence, 5, '25.6 %'), 2)).toEqual({ before: '… four five ', text: '25.6 %', after: ' six seven …' });
  });

  it('shows a short sentence whole, the entity at either end', () => {
    expect(falseAlarmExcerpt(example('Suite 300', 1, '300'))).toEqual({ before: 'Suite ', text: '300', after: '' });
    expect(falseAlarmExcerpt(example('300 mg daily', 0, '300'))).toEqual({ before: '', text: '300', after: ' mg daily' });
  });
});
