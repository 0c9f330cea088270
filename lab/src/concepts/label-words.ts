/**
 * The XBRL concept of every word of a sentence: the words that overlap an
 * `ix:nonFraction` fact of the filing's prose carry that fact's concept, as
 * the FiNER-139 labeller does (core/src/ixbrl/label.ts), but for every concept,
 * us-gaap or a filer's own extension, not only the 139.
 */
import type { IxFact } from '@finer-lens/core/ixbrl/extract.ts';
import type { WordToken } from '@finer-lens/core/text/words.ts';

/** A word's concept: the qualified name, and whether it is the fact's first word here (B-) or a later one (I-). */
export interface WordConcept {
  concept: string;
  first: boolean;
}

/** The prose facts of a filing, sorted by start, to find those that overlap a sentence. */
export class FactIndex {
  private readonly sorted: IxFact[];
  /** maxEnd[i]: the largest end of sorted[0..i], so a backward scan knows when to stop. */
  private readonly maxEnd: number[];

  /** Facts outside the prose (tables, hidden) have no span and are left out. */
  constructor(facts: readonly IxFact[]) {
    this.sorted = facts
      .map((fact, index) => ({ fact, index }))
      .filter(({ fact }) => fact.place === 'prose' && fact.end > fact.start)
      .sort((a, b) => a.fact.start - b.fact.start || a.index - b.index)
      .map(({ fact }) => fact);
    let max = -1;
    this.maxEnd = this.sorted.map((f) => (max = Math.max(max, f.end)));
  }

  /** The facts that overlap [start, end), by start (then document order). */
  overlapping(start: number, end: number): IxFact[] {
    const { sorted, maxEnd } = this;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    const before: IxFact[] = [];
    for (let i = lo - 1; i >= 0 && maxEnd[i] > start; i--) if (sorted[i].end > start) before.push(sorted[i]);
    const out = before.reverse();
    for (let i = lo; i < sorted.length && sorted[i].start < end; i++) out.push(sorted[i]);
    return out;
  }
}

/**
 * Concept per word (null: no fact) of the sentence at offset `sentenceStart`
 * of the prose text, whose words are `words` (offsets relative to the
 * sentence). A word already taken by an earlier fact keeps it.
 */
export function conceptsOfWords(words: readonly WordToken[], sentenceStart: number, facts: readonly IxFact[]): (WordConcept | null)[] {
  const out: (WordConcept | null)[] = words.map(() => null);
  for (const fact of facts) {
    const from = fact.start - sentenceStart;
    const to = fact.end - sentenceStart;
    let first = true;
    for (let w = 0; w < words.length; w++) {
      if (words[w].end <= from || words[w].start >= to) continue;
      const taken = out[w];
      if (taken === null) out[w] = { concept: fact.name, first };
      else if (taken.concept !== fact.name) continue;
      first = false;
    }
  }
  return out;
}
