import { Fragment, useState, type ReactNode } from 'react';
import type { Entity, ProviderInfo } from '../backends/types.ts';
import { highlightPieces, splitBlocks, type Piece } from '../app/highlight.ts';
import { displayNameOf, targetTag } from '../app/tags.ts';
import { backendLabel } from './BackendSummary.tsx';
import { TagLegend } from './TagLegend.tsx';

/** Characters rendered at once: a 1 MB text is shown in parts, so the page never freezes on layout. */
const PART = 20_000;
/** Characters per block (whole lines): blocks off screen are not laid out (`content-visibility: auto`). */
const BLOCK = 3_000;

interface Props {
  text: string;
  entities: readonly Entity[];
  provider: ProviderInfo;
  /** Indices of entities to mark as disagreeing (compare mode). */
  differing?: ReadonlySet<number>;
}

export function entityDescription(e: Entity, provider: ProviderInfo): string {
  return `${displayNameOf(e.label)} · score ${e.score.toFixed(3)} · ${backendLabel(provider)}`;
}

/**
 * The tagged text with each entity on its exact characters: a colour per
 * type, and its type, score and backend on hover or keyboard focus (and
 * read out after the entity by screen readers).
 */
export function HighlightedText({ text, entities, provider, differing }: Props) {
  const [limit, setLimit] = useState(PART);
  const { pieces, shownEnd } = highlightPieces(text, entities, limit);
  const blocks = splitBlocks(text, pieces, BLOCK);
  function piece(p: Piece): ReactNode {
    if (p.entity === undefined) return text.slice(p.start, p.end);
    const e = entities[p.entity]!;
    const description = entityDescription(e, provider);
    const differs = differing?.has(p.entity);
    return (
      <Fragment key={p.start}>
        <mark
          className={`entity tag-${targetTag(e.label)?.id ?? 0}${differs ? ' differs' : ''}`}
          tabIndex={0}
          data-start={e.start}
          data-end={e.end}
          data-label={e.label}
          data-score={e.score}
          data-tip={differs ? `${description} · the backends disagree here` : description}
        >
          {text.slice(e.start, e.end)}
        </mark>
        <span className="visually-hidden entity-note"> ({differs ? `${description}; the backends disagree here` : description})</span>
      </Fragment>
    );
  }
  return (
    <section className="card" aria-labelledby="highlighted-heading">
      <h3 id="highlighted-heading">Tagged text</h3>
      <TagLegend withOther={false} />
      <div className="tagged-text" data-testid="tagged-text">
        {blocks.map((block) => (
          <div key={block[0]!.start} className="tagged-block">
            {block.map(piece)}
          </div>
        ))}
      </div>
      {shownEnd < text.length && (
        <p className="tagged-text-more">
          <span className="hint">
            Showing {shownEnd.toLocaleString('en-US')} of {text.length.toLocaleString('en-US')} characters; every entity is in the
            table below.
          </span>{' '}
          <button type="button" className="show-more" onClick={() => setLimit((n) => n + PART)}>
            Show more of the text
          </button>
        </p>
      )}
    </section>
  );
}
