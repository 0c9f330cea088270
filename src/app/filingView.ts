/**
 * Extracted + labelled filing -> what the Filing screen shows: cover facts,
 * counts of the four target tags by place, and the prose sentences holding a
 * FiNER-139 tag with each tagged span on the exact characters (word-token
 * offsets from `tokenizeWords`, the same tokeniser the labeller used).
 *
 * Pure data: runs in the parsing worker, result is posted to the page.
 */
import { companyKey } from '@finer-lens/core/ixbrl/company.ts';
import type { ExtractedFiling, FactPlace } from '@finer-lens/core/ixbrl/extract.ts';
import type { LabelledFiling, LabelledSentence } from '@finer-lens/core/ixbrl/label.ts';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';
import { TARGET_TAGS, targetTag } from '@finer-lens/core/ner/tags.ts';

/** A tagged entity in a sentence: sentence.text.slice(start, end). */
export interface HighlightSpan {
  start: number;
  end: number;
  /** XBRL tag without prefix (`DebtInstrumentFaceAmount`). */
  tag: string;
  /** 1..4 for the target tags (their colour), 0 for the other 135 FiNER tags. */
  target: number;
}

export interface SentenceView {
  text: string;
  /** Ordered, non-overlapping. */
  spans: HighlightSpan[];
  /** At least one span is of a target tag. */
  hasTarget: boolean;
}

/** `ix:nonFraction` facts of one target tag, by where they stand in the filing. */
export interface TargetTagCount {
  tag: string;
  displayName: string;
  id: number;
  counts: Record<FactPlace, number>;
}

/** Cover-page facts shown beside the company name. */
export interface CoverFacts {
  registrantName?: string;
  cik?: string;
  documentType?: string;
  periodEndDate?: string;
}

export interface FilingView {
  fileName: string;
  /** The company as `finer ixbrl` splits by it (`cik:<10 digits>`, else `name:`, else `file:`; core/src/ixbrl/company.ts). */
  company: string;
  cover: CoverFacts;
  /** All `ix:nonFraction` facts in the filing, any tag. */
  factCount: number;
  targetCounts: TargetTagCount[];
  /** Prose sentences holding at least one of the 139 FiNER tags, in document order. */
  sentences: SentenceView[];
}

/** Tagged spans of one labelled sentence: a B- word and the I- words of the same tag after it. */
export function spansOf(sentence: LabelledSentence, text: string): HighlightSpan[] {
  const words = tokenizeWords(text);
  if (words.length !== sentence.nerTags.length) {
    throw new Error(`sentence at ${sentence.start}: ${words.length} words but ${sentence.nerTags.length} labels`);
  }
  const spans: HighlightSpan[] = [];
  let open: HighlightSpan | undefined;
  words.forEach((word, i) => {
    const label = FINER139_LABELS[sentence.nerTags[i]];
    if (label === 'O') {
      open = undefined;
      return;
    }
    const tag = label.slice(2);
    if (label.startsWith('I-') && open !== undefined && open.tag === tag) {
      open.end = word.end;
      return;
    }
    open = { start: word.start, end: word.end, tag, target: targetTag(tag)?.id ?? 0 };
    spans.push(open);
  });
  return spans;
}

export function buildFilingView(
  fileName: string,
  filing: ExtractedFiling,
  labelled: LabelledFiling,
): FilingView {
  const targetCounts: TargetTagCount[] = TARGET_TAGS.map((t) => ({
    ...t,
    counts: { prose: 0, table: 0, hidden: 0 },
  }));
  const byName = new Map(targetCounts.map((c) => [`us-gaap:${c.tag}`, c]));
  for (const fact of filing.facts) {
    const count = byName.get(fact.name);
    if (count) count.counts[fact.place]++;
  }
  const sentences = labelled.sentences.map((s): SentenceView => {
    const text = filing.text.slice(s.start, s.end);
    const spans = spansOf(s, text);
    return { text, spans, hasTarget: spans.some((sp) => sp.target > 0) };
  });
  return {
    fileName,
    company: companyKey(filing, fileName),
    cover: {
      registrantName: filing.registrantName,
      cik: filing.entityCik ?? filing.contextCik,
      documentType: filing.documentType,
      periodEndDate: filing.documentPeriodEndDate,
    },
    factCount: filing.facts.length,
    targetCounts,
    sentences,
  };
}
