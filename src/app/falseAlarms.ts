/**
 * A false alarm of eval.json's whole-document measures in a few words of its
 * sentence: the report keeps the sentence's words joined by spaces and the
 * index of the entity's first word.
 */
import type { FalseAlarmExample } from '@finer-lens/core/reports/eval.ts';

export interface Excerpt {
  /** Words before the entity, `…` first when the sentence goes on further. */
  before: string;
  text: string;
  after: string;
}

/** The entity and up to `around` words either side of it. */
export function falseAlarmExcerpt(example: FalseAlarmExample, around = 10): Excerpt {
  const words = example.sentence.split(' ');
  const start = Math.min(example.word, words.length);
  const end = Math.min(words.length, start + Math.max(1, example.text.split(' ').length));
  const from = Math.max(0, start - around);
  const to = Math.min(words.length, end + around);
  const before = words.slice(from, start).join(' ');
  const after = words.slice(end, to).join(' ');
  return {
    before: (from > 0 ? '… ' : '') + before + (before ? ' ' : ''),
    text: words.slice(start, end).join(' '),
    after: (after ? ' ' : '') + after + (to < words.length ? ' …' : ''),
  };
}
