import type { RefObject } from 'react';
import type { FilingView } from '../app/filingView.ts';
import { SeenInTraining } from './SeenInTraining.tsx';

/** Company, period, and the four target tags counted by where they stand in the filing. */
export function FilingSummary({ view, parseMillis, headingRef }: { view: FilingView; parseMillis: number; headingRef?: RefObject<HTMLHeadingElement | null> }) {
  const { cover } = view;
  const totals = view.targetCounts.reduce(
    (sum, c) => ({
      prose: sum.prose + c.counts.prose,
      table: sum.table + c.counts.table,
      hidden: sum.hidden + c.counts.hidden,
    }),
    { prose: 0, table: 0, hidden: 0 },
  );
  return (
    <section className="card filing-summary" aria-labelledby="filing-company">
      <h3 id="filing-company" tabIndex={-1} ref={headingRef}>{cover.registrantName ?? 'Company name not found in the filing'}</h3>
      <dl className="cover-facts">
        <div>
          <dt>File</dt>
          <dd>{view.fileName}</dd>
        </div>
        {cover.documentType && (
          <div>
            <dt>Form</dt>
            <dd>{cover.documentType}</dd>
          </div>
        )}
        <div>
          <dt>Period end</dt>
          <dd>{cover.periodEndDate ?? 'not found'}</dd>
        </div>
        {cover.cik && (
          <div>
            <dt>CIK</dt>
            <dd>{cover.cik}</dd>
          </div>
        )}
        <SeenInTraining company={view.company} as="fact" />
        <div>
          <dt>Numeric facts</dt>
          <dd>{view.factCount.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Parsed in</dt>
          <dd data-testid="parse-time">{(parseMillis / 1000).toFixed(2)} s</dd>
        </div>
      </dl>
      <div className="table-scroll">
        <table className="data-table target-counts">
          <caption>Facts of the four target tags, by where they stand</caption>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Prose</th>
              <th scope="col">Tables</th>
              <th scope="col">Hidden</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {view.targetCounts.map((c) => (
              <tr key={c.tag} data-tag={c.tag}>
                <th scope="row" title={`us-gaap:${c.tag}`}>
                  <span className={`swatch tag-${c.id}`} aria-hidden="true" />
                  {c.displayName}
                </th>
                <td data-place="prose">{c.counts.prose}</td>
                <td data-place="table">{c.counts.table}</td>
                <td data-place="hidden">{c.counts.hidden}</td>
                <td data-place="total">{c.counts.prose + c.counts.table + c.counts.hidden}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All four</th>
              <td>{totals.prose}</td>
              <td>{totals.table}</td>
              <td>{totals.hidden}</td>
              <td>{totals.prose + totals.table + totals.hidden}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="hint">
        Only prose facts become sentences below; facts in tables and in hidden parts (the <code>ix:header</code>,{' '}
        <code>display:none</code>) are counted but not shown.
      </p>
    </section>
  );
}
