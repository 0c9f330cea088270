import { useEffect, useState } from 'react';
import type { Entity, ProviderInfo } from '@finer-lens/core/ner/types.ts';
import { download, entitiesToCsv, entitiesToJson, entitiesToTsv } from '../app/export.ts';
import { displayNameOf, targetTag } from '@finer-lens/core/ner/tags.ts';

/** Rows rendered at once; more on request. */
const PAGE = 100;

/** Below a million the value is written out (`USD 9,000`); above, compactly (`USD 1.939B`), the full figure in `valueTitle`. */
export function formatValue(value: number | null, unit: string | null): string {
  if (value === null) return '–';
  if (unit === '%') return `${value.toLocaleString('en-US', { maximumFractionDigits: 6 })}%`;
  const number =
    Math.abs(value) < 1e6
      ? value.toLocaleString('en-US', { maximumFractionDigits: 4 })
      : value.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 3 });
  return unit === null ? number : `${unit} ${number}`;
}

/** The value at full precision, as the exports have it. */
export function valueTitle(value: number | null, unit: string | null): string {
  if (value === null) return 'no number read';
  const number = value.toLocaleString('en-US', { maximumFractionDigits: 20 });
  return unit === null ? `${number} (no unit in the text)` : unit === '%' ? `${number}%` : `${number} ${unit}`;
}

/** How long "Copied" stays beside the button. */
const COPIED_MS = 4000;

/** Copy the entities shown to the clipboard as a tab-separated table; says so, or why not, in a status line. */
function CopyButton({ entities }: { entities: readonly Entity[] }) {
  const [status, setStatus] = useState<{ message: string; seq: number }>();
  useEffect(() => {
    if (status === undefined) return;
    const timer = setTimeout(() => setStatus(undefined), COPIED_MS);
    return () => clearTimeout(timer);
  }, [status]);
  const copy = async () => {
    const seq = (status?.seq ?? 0) + 1;
    try {
      await navigator.clipboard.writeText(entitiesToTsv(entities));
      setStatus({ message: 'Copied', seq });
    } catch (err) {
      // no permission, an insecure page, or no clipboard API at all
      setStatus({ message: `The browser refused the clipboard (${err instanceof Error ? err.message : String(err)}): use Download CSV instead.`, seq });
    }
  };
  return (
    <>
      <button type="button" onClick={() => void copy()} title="Copy the entities as a table (text, type, value, unit, score, sentence) to paste into a spreadsheet">
        Copy
      </button>
      <span className="copy-status" role="status" data-testid="copy-status">
        {status?.message}
      </span>
    </>
  );
}

/**
 * Every entity: its text, type, value in base units, score and character
 * position, with export to JSON and CSV and a copy to the clipboard. With `onSelect`, each entity's text
 * is a button that hands the entity over (the screen scrolls to its highlight).
 */
export function EntityTable({
  text,
  entities,
  provider,
  onSelect,
}: {
  text: string;
  entities: readonly Entity[];
  provider: ProviderInfo;
  onSelect?: (entity: Entity) => void;
}) {
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
          <CopyButton entities={entities} />
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
                <th scope="col">Entity</th>
                <th scope="col">Type</th>
                <th scope="col">Value</th>
                <th scope="col">Score</th>
                <th scope="col" className="entity-position">
                  Position
                </th>
              </tr>
            </thead>
            <tbody>
              {entities.slice(0, shown).map((e, i) => (
                <tr key={e.start} data-start={e.start} data-end={e.end} data-label={e.label}>
                  <td>{i + 1}</td>
                  <th scope="row" className="entity-value">
                    {onSelect ? (
                      <button type="button" className="entity-select" onClick={() => onSelect(e)} title="Show in the text">
                        {e.text}
                      </button>
                    ) : (
                      e.text
                    )}
                  </th>
                  <td className="entity-type" title={e.label}>
                    <span className={`swatch tag-${targetTag(e.label)?.id ?? 0}`} aria-hidden="true" />
                    {displayNameOf(e.label)}
                  </td>
                  <td className="entity-number" title={valueTitle(e.value, e.unit)}>
                    {formatValue(e.value, e.unit)}
                  </td>
                  <td>{e.score.toFixed(3)}</td>
                  <td className="entity-position">
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
