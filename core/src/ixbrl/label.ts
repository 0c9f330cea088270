/**
 * Extracted filing -> FiNER-139 labelled sentences.
 *
 * Each prose run is split into sentences, each sentence into FiNER words
 * (`tokenizeWords`), and every word that overlaps an `ix:nonFraction` fact of
 * one of the 139 us-gaap tags gets `B-<tag>` (first word of the fact in the
 * sentence) or `I-<tag>` (later words). Facts of other tags, or of other
 * prefixes than `us-gaap:`, leave their words `O`.
 *
 * Every prose fact of the 139 tags gets a fate, so that the corpus builder can
 * say where each one went.
 */
import { tokenizeWords } from '../text/words.ts';
import { finerBId, finerIId } from '../ner/labels.ts';
import type { ExtractedFiling, IxFact } from './extract.ts';
import { splitSentences } from '../text/sentences.ts';

export interface LabelledSentence {
  tokens: string[];
  /** FiNER-139 label ids, one per token. */
  nerTags: number[];
  /** Span of the sentence in the filing's prose text (see extract.ts). */
  start: number;
  end: number;
  /** The facts whose words are labelled here. */
  facts: LabelledFact[];
}

export interface LabelledFact {
  /** Index into `filing.facts`. */
  fact: number;
  /** Index of the fact's first labelled word (its B- label) in the sentence. */
  word: number;
}

/**
 * What became of a prose fact of the 139 tags:
 * - labelled: at least one of its words carries its tag;
 * - no_token: its text is empty or whitespace, so no word lies inside it;
 * - token_taken: every word inside it already carries another fact's tag.
 */
export type FactFate = 'labelled' | 'no_token' | 'token_taken';

export interface LabelOptions {
  /** Keep every sentence with a letter in it, not only those holding one of the 139 tags. */
  allSentences: boolean;
}

export interface LabelledFiling {
  sentences: LabelledSentence[];
  /** Fate of each prose fact of the 139 tags, by index into `filing.facts`. */
  fates: Map<number, FactFate>;
}

/** The FiNER-139 tag of a fact (`us-gaap:` prefix stripped), or undefined when it is not one of the 139. */
export function finerTagOf(fact: IxFact): string | undefined {
  if (!fact.name.startsWith('us-gaap:')) return undefined;
  const tag = fact.name.slice('us-gaap:'.length);
  return finerBId(tag) === undefined ? undefined : tag;
}

const LETTER_RE = /\p{L}/u;

interface TaggedFact {
  index: number;
  fact: IxFact;
  bId: number;
  iId: number;
}

export function labelFiling(filing: ExtractedFiling, options: LabelOptions): LabelledFiling {
  const tagged: TaggedFact[] = [];
  filing.facts.forEach((fact, index) => {
    if (fact.place !== 'prose') return;
    const tag = finerTagOf(fact);
    if (tag === undefined) return;
    tagged.push({ index, fact, bId: finerBId(tag)!, iId: finerIId(tag)! });
  });
  tagged.sort((a, b) => a.fact.start - b.fact.start || a.index - b.index);

  const fates = new Map<number, FactFate>();
  const touched = new Set<number>(); // facts with at least one word inside them
  const sentences: LabelledSentence[] = [];
  let next = 0; // first tagged fact not yet behind the current run
  for (const run of filing.runs) {
    while (next < tagged.length && tagged[next].fact.start < run.start) next++;
    let last = next;
    while (last < tagged.length && tagged[last].fact.start <= run.end) last++;
    const inRun = tagged.slice(next, last);
    if (inRun.length === 0 && !options.allSentences) continue;

    for (const span of splitSentences(filing.text, run.start, run.end)) {
      const inSentence = inRun.filter(({ fact }) => fact.start < span.end && fact.end > span.start);
      if (inSentence.length === 0 && !options.allSentences) continue;
      const text = filing.text.slice(span.start, span.end);
      const words = tokenizeWords(text);
      const nerTags = new Array<number>(words.length).fill(0);
      const labelledFacts: LabelledFact[] = [];
      for (const t of inSentence) {
        const from = t.fact.start - span.start;
        const to = t.fact.end - span.start;
        let labelled = false;
        let first = -1;
        for (let w = 0; w < words.length; w++) {
          const word = words[w];
          if (word.end <= from || word.start >= to) continue;
          touched.add(t.index);
          const current = nerTags[w];
          if (current === 0) {
            nerTags[w] = labelled ? t.iId : t.bId;
          } else if (current !== t.bId && current !== t.iId) {
            continue;
          } // else a nested fact of the same tag: its words are already right
          if (!labelled) first = w;
          labelled = true;
        }
        if (labelled) {
          fates.set(t.index, 'labelled');
          labelledFacts.push({ fact: t.index, word: first });
        }
      }
      const keep = labelledFacts.length > 0 || (options.allSentences && LETTER_RE.test(text));
      if (keep && words.length > 0) {
        sentences.push({ tokens: words.map((w) => w.text), nerTags, start: span.start, end: span.end, facts: labelledFacts });
      }
    }
  }
  for (const t of tagged) {
    if (!fates.has(t.index)) fates.set(t.index, touched.has(t.index) ? 'token_taken' : 'no_token');
  }
  return { sentences, fates };
}
