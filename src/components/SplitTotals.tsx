import { COLUMNS, distributionOf } from '../app/distribution.ts';
import type { AnalysisReport, Distribution } from '../app/reports.ts';

const ROWS: readonly { key: keyof Omit<Distribution, 'labels'>; name: string }[] = [
  { key: 'sentences', name: 'Sentences' },
  { key: 'tokens', name: 'Tokens' },
  { key: 'taggedTokens', name: 'Tagged tokens' },
  { key: 'entities', name: 'Entity mentions' },
  { key: 'sentencesWithEntities', name: 'Sentences with an entity' },
];

const TITLES = { train: 'Train', validation: 'Validation', test: 'Test', overall: 'Overall' } as const;

/** Size of each split, straight from the report. */
export function SplitTotals({ report }: { report: AnalysisReport }) {
  const columns = COLUMNS.filter((c) => distributionOf(report, c) !== undefined);
  return (
    <section className="card" aria-labelledby="totals-heading">
      <h3 id="totals-heading">Split sizes</h3>
      <div className="table-scroll">
        <table className="data-table split-totals">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {TITLES[c]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.key} data-measure={row.key}>
                <th scope="row">{row.name}</th>
                {columns.map((c) => (
                  <td key={c} data-column={c}>
                    {distributionOf(report, c)![row.key].toLocaleString('en-US')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
