import { useDeferredValue, useMemo, useState } from 'react';
import type { SentenceView } from '../app/filingView.ts';
import { useAppStore } from '../store.ts';
import { HighlightedSentence } from './HighlightedSentence.tsx';
import { TagLegend } from './TagLegend.tsx';

/** Sentences rendered at once; more on request (a 10-K can hold thousands with "any tag"). */
const PAGE = 200;

/** The tagged prose sentences, with the scope toggle and a search box. */
export function SentenceList({ sentences }: { sentences: SentenceView[] }) {
  const scope = useAppStore((s) => s.sentenceScope);
  const setScope = useAppStore((s) => s.setSentenceScope);
  const filter = useAppStore((s) => s.sentenceFilter);
  const setFilter = useAppStore((s) => s.setSentenceFilter);
  const model = useAppStore((s) => s.filingModel);
  const modelSpans = model.status === 'done' ? model.score.modelSpans : undefined;
  const deferredFilter = useDeferredValue(filter);
  const [shown, setShown] = useState(PAGE);

  // Each sentence keeps its index in the filing's list: a stable React key under filtering.
  const inScope = useMemo(
    () => sentences.map((sentence, index) => ({ sentence, index })).filter(({ sentence }) => scope === 'all' || sentence.hasTarget),
    [sentences, scope],
  );
  const visible = useMemo(() => {
    const needle = deferredFilter.trim().toLowerCase();
    return needle === '' ? inScope : inScope.filter(({ sentence }) => sentence.text.toLowerCase().includes(needle));
  }, [inScope, deferredFilter]);

  return (
    <section className="card sentences" aria-labelledby="sentences-heading">
      <h3 id="sentences-heading">Tagged prose sentences</h3>
      <div className="sentence-controls">
        <fieldset className="scope-toggle">
          <legend>Show sentences with</legend>
          <label>
            <input type="radio" name="scope" checked={scope === 'targets'} onChange={() => setScope('targets')} />
            one of the four target tags
          </label>
          <label>
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            any FiNER-139 tag
          </label>
        </fieldset>
        <label className="filter-box">
          Filter sentences
          <input type="search" value={filter} placeholder="e.g. LIBOR" onChange={(e) => setFilter(e.target.value)} />
        </label>
      </div>
      <TagLegend withOther={scope === 'all'} />
      <p className="sentence-count" aria-live="polite">
        {visible.length === inScope.length
          ? `${inScope.length} sentence${inScope.length === 1 ? '' : 's'}`
          : `${visible.length} of ${inScope.length} sentences match`}
      </p>
      {inScope.length === 0 ? (
        <p className="notice">
          {scope === 'targets'
            ? 'No prose sentence of this filing holds one of the four target tags (they may all be in tables).'
            : 'No prose sentence of this filing holds a FiNER-139 tag.'}
        </p>
      ) : (
        <ol className="sentence-list">
          {visible.slice(0, shown).map(({ sentence, index }) => (
            <li key={index}>
              {modelSpans ? (
                <dl className="sentence-pair">
                  <dt>Filer</dt>
                  <dd className="filer-tags">
                    <HighlightedSentence sentence={sentence} showOther={scope === 'all'} />
                  </dd>
                  <dt>Model</dt>
                  <dd className="model-tags">
                    <HighlightedSentence sentence={{ ...sentence, spans: modelSpans[index] ?? [] }} showOther={false} model />
                  </dd>
                </dl>
              ) : (
                <HighlightedSentence sentence={sentence} showOther={scope === 'all'} />
              )}
            </li>
          ))}
        </ol>
      )}
      {visible.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, visible.length - shown)} more
        </button>
      )}
    </section>
  );
}
