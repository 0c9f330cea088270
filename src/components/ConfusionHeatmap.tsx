import { cellColours, cellText, heatCells } from '../app/confusion.ts';
import { datasetTitle, type EvalReport } from '../app/reports.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';
import { useAppStore } from '../store.ts';

/** The word confusion matrix of one eval.json data set as a heatmap: rows gold, columns predicted. */
export function ConfusionHeatmap({ report }: { report: EvalReport }) {
  const mode = useAppStore((s) => s.confusionMode);
  const setMode = useAppStore((s) => s.setConfusionMode);
  const index = useAppStore((s) => s.confusionDataset);
  const setIndex = useAppStore((s) => s.setConfusionDataset);
  const dataset = report.datasets[Math.min(index, report.datasets.length - 1)];
  if (!dataset) return null;
  const { confusion } = dataset.metrics;
  const cells = heatCells(confusion);
  const name = (l: string) => (l === 'O' ? 'O (none)' : displayNameOf(l));
  return (
    <section className="card" aria-labelledby="confusion-heading">
      <div className="card-head">
        <h3 id="confusion-heading">Confusion matrix</h3>
        <div className="confusion-controls">
          {report.datasets.length > 1 && (
            <span>
              <label htmlFor="confusion-dataset">Data set</label>{' '}
              <select id="confusion-dataset" value={index} onChange={(e) => setIndex(Number(e.target.value))}>
                {report.datasets.map((d, i) => (
                  <option key={d.name} value={i}>
                    {datasetTitle(d.name)}
                  </option>
                ))}
              </select>
            </span>
          )}
          <fieldset className="measure-toggle">
            <legend className="visually-hidden">Cell figures</legend>
            <label>
              <input type="radio" name="confusion-mode" checked={mode === 'counts'} onChange={() => setMode('counts')} />
              Counts
            </label>
            <label>
              <input type="radio" name="confusion-mode" checked={mode === 'rows'} onChange={() => setMode('rows')} />
              Row-normalised
            </label>
          </fieldset>
        </div>
      </div>
      <p className="hint">
        {dataset.kind === 'dense' ? 'Words' : 'Labelled words'} by gold type (rows) and predicted type (columns); the colour is the share
        of the row.
      </p>
      <div className="table-scroll">
        <table className="confusion" data-mode={mode}>
          <thead>
            <tr>
              <td />
              <th scope="colgroup" colSpan={confusion.labels.length} className="axis">
                Predicted
              </th>
            </tr>
            <tr>
              <th scope="col" className="axis">
                Gold
              </th>
              {confusion.labels.map((l) => (
                <th key={l} scope="col" title={l}>
                  {name(l)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cells.map((row, g) => (
              <tr key={confusion.labels[g]}>
                <th scope="row" title={confusion.labels[g]}>
                  {name(confusion.labels[g]!)}
                </th>
                {row.map((cell, p) => (
                  <td
                    key={p}
                    className={g === p ? 'diagonal' : undefined}
                    style={cellColours(cell.rowShare)}
                    data-count={cell.count}
                    title={`gold ${name(confusion.labels[g]!)}, predicted ${name(confusion.labels[p]!)}: ${cell.count.toLocaleString('en-US')} (${(cell.rowShare * 100).toFixed(1)}% of the row)`}
                  >
                    {cellText(cell, mode)}
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
