import type { ReactNode } from 'react';
import type { HighlightSpan, SentenceView } from '../app/filingView.ts';
import { targetTag } from '@finer-lens/core/ner/tags.ts';

function describe(span: HighlightSpan, model: boolean): string {
  const name = targetTag(span.tag)?.displayName;
  if (model) return `${name ?? span.tag}: the model`;
  return name ? `${name}: us-gaap:${span.tag}` : `us-gaap:${span.tag}`;
}

/**
 * A sentence with its tagged spans (the filer's XBRL tags, or the model's
 * entities) marked on the exact characters. Each mark is a tab stop named by
 * its number and tag, its tooltip shown on hover and on keyboard focus (a
 * group: ARIA gives a mark no name of its own).
 */
export function HighlightedSentence({ sentence, showOther, model = false }: { sentence: SentenceView; showOther: boolean; model?: boolean }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const span of sentence.spans) {
    if (span.target === 0 && !showOther) continue;
    if (span.start > at) parts.push(sentence.text.slice(at, span.start));
    const label = describe(span, model);
    parts.push(
      <mark
        key={span.start}
        className={`entity tag-${span.target}`}
        tabIndex={0}
        role="group"
        aria-label={`${sentence.text.slice(span.start, span.end)} (${label})`}
        data-tip={label}
        data-tag={span.tag}
      >
        {sentence.text.slice(span.start, span.end)}
      </mark>,
    );
    at = span.end;
  }
  if (at < sentence.text.length) parts.push(sentence.text.slice(at));
  return <p className="sentence">{parts}</p>;
}
