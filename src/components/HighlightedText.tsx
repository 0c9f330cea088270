import { Fragment, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Entity, ProviderInfo } from '@finer-lens/core/ner/types.ts';
import { highlightPieces, splitBlocks, type Piece } from '../app/highlight.ts';
import { displayNameOf, targetTag } from '@finer-lens/core/ner/tags.ts';
import { backendLabel } from './BackendSummary.tsx';
import { EntityTooltip } from './EntityTooltip.tsx';
import { contextNote } from '../app/confidence.ts';

/** Characters rendered at once: a 1 MB text is shown in parts, so the page never freezes on layout. */
const PART = 20_000;
/** Characters per block (whole lines): blocks off screen are not laid out (`content-visibility: auto`). */
const BLOCK = 3_000;

interface Props {
  text: string;
  /** The entities shown, in text order. */
  entities: readonly Entity[];
  provider: ProviderInfo;
  /** Indices of entities to mark as disagreeing (compare mode). */
  differing?: ReadonlySet<number>;
  /** Each type's short label beside its highlights. */
  showLabels?: boolean;
  /** An entity to scroll to and focus (a table row clicked): its start; `seq` tells two clicks on one row apart. */
  select?: { start: number; seq: number };
  /** Shown between the heading and the text (the screen's display controls and legend). */
  controls?: ReactNode;
}

export function entityDescription(e: Entity, provider: ProviderInfo): string {
  const note = contextNote(e);
  return `${displayNameOf(e.label)} · score ${e.score.toFixed(3)} · ${backendLabel(provider)}${note ? ` · ${note}` : ''}`;
}

/**
 * The tagged text with each entity on its exact characters: a colour per
 * type, optionally its short label, and its type, score and backend in a
 * tooltip on hover or keyboard focus (and read out after the entity by screen
 * readers, and as its name when focused).
 */
export function HighlightedText({ text, entities, provider, differing, showLabels = false, select, controls }: Props) {
  const [limit, setLimit] = useState(PART);
  const container = useRef<HTMLDivElement>(null);

  // A selected entity past the part shown: show the text up to it first.
  const selectedEnd = select === undefined ? undefined : entities.find((e) => e.start === select.start)?.end;
  if (selectedEnd !== undefined && selectedEnd > limit) setLimit(Math.ceil(selectedEnd / PART) * PART);

  // The blocks do not depend on the tooltip or the labels (a class of the container): hovering re-renders none of them.
  const { blocks, shownEnd } = useMemo(() => {
    const { pieces, shownEnd } = highlightPieces(text, entities, limit);
    const piece = (p: Piece): ReactNode => {
      if (p.entity === undefined) return text.slice(p.start, p.end);
      const e = entities[p.entity]!;
      const description = entityDescription(e, provider);
      const differs = differing?.has(p.entity);
      const tag = targetTag(e.label);
      return (
        <Fragment key={p.start}>
          <mark
            className={`entity tag-${tag?.id ?? 0}${differs ? ' differs' : ''}`}
            tabIndex={0}
            // a mark's name would be its text alone: as a named group, focus reads its type and score too
            role="group"
            aria-roledescription="highlight"
            aria-label={`${e.text}: ${description}${differs ? ', the two models compared disagree here' : ''}`}
            data-start={e.start}
            data-end={e.end}
            data-label={e.label}
            data-score={e.score}
            data-abbr={tag?.abbreviation ?? e.label}
            data-tip={differs ? `${description} · the two models compared disagree here` : description}
          >
            {text.slice(e.start, e.end)}
          </mark>
          <span className="visually-hidden entity-note"> ({differs ? `${description}; the two models compared disagree here` : description})</span>
        </Fragment>
      );
    };
    const blocks = splitBlocks(text, pieces, BLOCK).map((block) => (
      <div key={block[0]!.start} className="tagged-block">
        {block.map(piece)}
      </div>
    ));
    return { blocks, shownEnd };
  }, [text, entities, provider, differing, limit]);

  // Once per selection: a later render (the slider moved) must not take focus back to it.
  const selected = useRef(0);
  useEffect(() => {
    if (select === undefined || select.seq === selected.current) return;
    const mark = container.current?.querySelector<HTMLElement>(`mark.entity[data-start="${select.start}"]`);
    if (!mark) return; // not rendered yet: the part shown grows to it first
    selected.current = select.seq;
    mark.scrollIntoView({ block: 'center', behavior: 'instant' });
    mark.focus({ preventScroll: true });
  }, [select, shownEnd]);

  return (
    <section className="card" aria-labelledby="highlighted-heading">
      <h3 id="highlighted-heading">Tagged text</h3>
      {controls}
      <div className={`tagged-text${showLabels ? ' with-labels' : ''}`} data-testid="tagged-text" ref={container}>
        {blocks}
      </div>
      <EntityTooltip container={container} />
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
