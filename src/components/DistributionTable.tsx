import { COLUMNS, distributionOf } from '../app/distribution.ts';
import type { AnalysisReport } from '../app/reports.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';
import { XbrlName } from './XbrlName.tsx';

const TITLES = { train: 'Train', validation: 'Validation', test: 'Test', overall: 'Overall' } as const;

/** Every label of the report: tokens carrying it and sentences containing it, per split and overall. */
export function DistributionTable({ report }: { report: AnalysisReport }) {
  const columns = COLUMNS.filter((c) => distributionOf(report, c) !== undefined);
  const byId = columns.map((c) => new Map(distributionOf(report, c)!.labels.map((l) => [l.id, l])));
  return (
    <section className="card" aria-labelledby="labels-heading">
      <h3 id="labels-heading">Labels</h3>
      <div className="table-scroll">
        <table className="data-table label-distribution">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Label
              </th>
              {columns.map((c) => (
                <th key={c} scope="colgroup" colSpan={2}>
                  {TITLES[c]}
                </th>
              ))}
            </tr>
            <tr>
              {columns.map((c) => [
                <th key={`${c}-t`} scope="col">
                  tokens
                </th>,
                <th key={`${c}-s`} scope="col">
                  sentences
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {report.labelNames.map((label, id) => (
              <tr key={id} data-label={label}>
                <th scope="row" title={label}>
                  {displayNameOf(label)}
                  {label !== 'O' && (
                    <span className="label-name">
                      <XbrlName name={label} />
                    </span>
                  )}
                </th>
                {columns.map((c, i) => {
                  const count = byId[i].get(id);
                  return [
                    <td key={`${c}-t`} data-column={c} data-count="tokens">
                      {(count?.tokens ?? 0).toLocaleString('en-US')}
                    </td>,
                    <td key={`${c}-s`} data-column={c} data-count="sentences">
                      {(count?.sentences ?? 0).toLocaleString('en-US')}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
