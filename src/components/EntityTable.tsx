import { useState } from 'react';
import type { Entity, ProviderInfo } from '../backends/types.ts';
import { download, entitiesToCsv, entitiesToJson } from '../app/export.ts';
import { displayNameOf, targetTag } from '../app/tags.ts';

/** Rows rendered at once; more on request. */
const PAGE = 100;

/** Every entity: value, type, score and character position, with export to JSON and CSV. */
export function EntityTable({ text, entities, provider }: { text: string; entities: readonly Entity[]; provider: ProviderInfo }) {
  const [shown, setShown] = useState(PAGE);
  return (
    <section className="card" aria-labelledby="entities-heading">
      <div className="card-head">
        <h3 id="entities-heading">
          Entities <span className="count">({entities.length.toLocaleString('en-US')})</span>
        </h3>
        <div className="export-buttons" role="group" aria-label="Export the entities">
          <button type="button" onClick={() => download('finer-lens-entities.json', entitiesToJson(text, entities, provider), 'application/json')}>
            Download JSON
          </button>
          <button type="button" onClick={() => download('finer-lens-entities.csv', entitiesToCsv(entities), 'text/csv')}>
            Download CSV
          </button>
        </div>
      </div>
      {entities.length === 0 ? (
        <p className="notice" role="status">
          The model found no entity in this text. It tags interest rates, credit-line maxima, spreads over a variable rate and face
          amounts of debt: numbers in English 10-K prose.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table entity-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Value</th>
                <th scope="col">Type</th>
                <th scope="col">Score</th>
                <th scope="col">Position</th>
              </tr>
            </thead>
            <tbody>
              {entities.slice(0, shown).map((e, i) => (
                <tr key={e.start} data-start={e.start} data-end={e.end} data-label={e.label}>
                  <td>{i + 1}</td>
                  <th scope="row" className="entity-value">
                    {e.text}
                  </th>
                  <td className="entity-type" title={e.label}>
                    <span className={`swatch tag-${targetTag(e.label)?.id ?? 0}`} aria-hidden="true" />
                    {displayNameOf(e.label)}
                  </td>
                  <td>{e.score.toFixed(3)}</td>
                  <td>
                    {e.start}–{e.end}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entities.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, entities.length - shown)} more
        </button>
      )}
    </section>
  );
}
