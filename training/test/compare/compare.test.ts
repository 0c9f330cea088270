/** `finer compare`'s counts of word labels that differ between two taggings of the same sentences. */
import { describe, expect, it } from 'vitest';
import { labelDifferences } from '../../src/compare/compare.ts';

const tagged = (...sentences: string[][]) => sentences.map((s) => s.map((label) => ({ label, score: 0.9 })));

describe('labelDifferences', () => {
  it('counts the words whose label differs and the sentences holding one (scores are not compared)', () => {
    const batched = tagged(['O', 'B-RATE'], ['O'], ['B-AMOUNT', 'O', 'O']);
    const alone = tagged(['O', 'O'], ['O'], ['O', 'O', 'B-RATE']);
    expect(labelDifferences(alone, batched)).toEqual({ different: 3, sentencesDifferent: 2 });
    expect(labelDifferences(batched, batched)).toEqual({ different: 0, sentencesDifferent: 0 });
    const rescored = batched.map((s) => s.map((p) => ({ ...p, score: 0.1 })));
    expect(labelDifferences(rescored, batched)).toEqual({ different: 0, sentencesDifferent: 0 });
  });
});
