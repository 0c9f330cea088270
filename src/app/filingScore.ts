/**
 * The model on an opened filing, scored against the filer's own XBRL tags:
 * the filer's target facts become the 4-entity scheme's gold labels (a fact's
 * first word `B-<tag>`, every other word `O`, as `finer subset` maps FiNER-139),
 * the model's word labels are the predictions, and core/src/ner/metrics.ts scores
 * them as seqeval does. Every gold entity the model missed and every entity it
 * found that the filer did not tag is listed, on the sentence's characters.
 */
import { scoreSequences, type EntityMetrics } from '@finer-lens/core/ner/metrics.ts';
import { entities } from '@finer-lens/core/ner/spans.ts';
import { tokenizeWords, type WordToken } from '@finer-lens/core/text/words.ts';
import type { HighlightSpan, SentenceView } from './filingView.ts';
import { TARGET_TAGS, targetTag } from '@finer-lens/core/ner/tags.ts';

/** An entity one side has and the other lacks, on the characters of sentence `sentence`. */
export interface Finding {
  sentence: number;
  start: number;
  end: number;
  text: string;
  /** Its type (the filer's tag for a miss, the model's for a false alarm). */
  type: string;
  /** What the other side has on overlapping words, if anything: the model's type for a miss, the filer's for a false alarm. */
  other?: string;
}

export interface FilingScore {
  metrics: EntityMetrics;
  misses: Finding[];
  falseAlarms: Finding[];
  /** The model's entities per sentence, as highlight spans (for showing beside the filer's). */
  modelSpans: HighlightSpan[][];
  sentences: number;
  words: number;
}

/** The words of every sentence (the tokeniser the labeller used: the model gets exactly these). */
export function sentenceWords(sentences: readonly SentenceView[]): WordToken[][] {
  return sentences.map((s) => tokenizeWords(s.text));
}

/** Gold labels of one sentence: `B-<tag>` on the first word of each target-tag span, `O` elsewhere. */
export function goldLabels(sentence: SentenceView, words: readonly WordToken[]): string[] {
  const labels = words.map((): string => 'O');
  for (const span of sentence.spans) {
    if (span.target === 0) continue;
    const first = words.findIndex((w) => w.start === span.start);
    if (first >= 0) labels[first] = `B-${span.tag}`;
  }
  return labels;
}

export function scoreFiling(sentences: readonly SentenceView[], predicted: readonly (readonly string[])[]): FilingScore {
  if (predicted.length !== sentences.length) throw new Error(`${predicted.length} predicted sentences for ${sentences.length} sentences`);
  const words = sentenceWords(sentences);
  const gold = sentences.map((s, i) => goldLabels(s, words[i]!));
  const types = TARGET_TAGS.map((t) => t.tag);
  const metrics = scoreSequences(gold, predicted, types);

  const misses: Finding[] = [];
  const falseAlarms: Finding[] = [];
  const modelSpans: HighlightSpan[][] = [];
  sentences.forEach((s, i) => {
    const ws = words[i]!;
    const g = entities(gold[i]!);
    const p = entities(predicted[i]!);
    const key = (e: { type: string; start: number; end: number }) => `${e.type}:${e.start}:${e.end}`;
    const goldKeys = new Set(g.map(key));
    const predKeys = new Set(p.map(key));
    const finding = (e: { type: string; start: number; end: number }, others: typeof g): Finding => {
      const start = ws[e.start]!.start;
      const end = ws[e.end - 1]!.end;
      const overlap = others.find((o) => o.start < e.end && e.start < o.end);
      return { sentence: i, start, end, text: s.text.slice(start, end), type: e.type, ...(overlap ? { other: overlap.type } : {}) };
    };
    for (const e of g) if (!predKeys.has(key(e))) misses.push(finding(e, p));
    for (const e of p) if (!goldKeys.has(key(e))) falseAlarms.push(finding(e, g));
    modelSpans.push(p.map((e) => ({ start: ws[e.start]!.start, end: ws[e.end - 1]!.end, tag: e.type, target: targetTag(e.type)?.id ?? 0 })));
  });
  return { metrics, misses, falseAlarms, modelSpans, sentences: sentences.length, words: words.reduce((n, w) => n + w.length, 0) };
}

/** Precision, recall and F1 of one type, each absent where there is nothing to score it on. */
export interface DefinedRates {
  /** Absent when the model found none of the type. */
  precision?: number;
  /** Absent when the filer tagged none. */
  recall?: number;
  /** Absent when neither side has any. */
  f1?: number;
}

/**
 * seqeval writes 0 for a rate whose denominator is 0; a type that neither the
 * filer nor the model has on this filing was not scored at all, and shows a
 * dash, not 0.0.
 */
export function definedRates(s: { precision: number; recall: number; f1: number; tp: number; fp: number; support: number }): DefinedRates {
  const found = s.tp + s.fp;
  return {
    ...(found > 0 ? { precision: s.precision } : {}),
    ...(s.support > 0 ? { recall: s.recall } : {}),
    ...(found > 0 || s.support > 0 ? { f1: s.f1 } : {}),
  };
}
