import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { datasetTitle, type EvalReport } from '../app/reports.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';
import { thresholdsLabel } from './BackendSummary.tsx';

const COLOURS = ['#2f6db5', '#c2620f', '#2e8a57', '#8a3fc4'];
const pct = (x: number) => `${(x * 100).toFixed(1)}`;

/** Precision, recall and F1 per entity type for every data set of eval.json, as tables and an F1 chart. */
export function MetricsPerType({ report }: { report: EvalReport }) {
  const types = report.datasets[0]?.metrics.types ?? [];
  const rows = types.map((t) => ({
    name: displayNameOf(t),
    ...Object.fromEntries(report.datasets.map((d, i) => [`d${i}`, +((d.metrics.perType[t]?.f1 ?? 0) * 100).toFixed(1)])),
  }));
  return (
    <section className="card" aria-labelledby="metrics-heading">
      <h3 id="metrics-heading">Metrics per entity type</h3>
      <p className="hint">
        Model <code>{report.model}</code> on <code>{report.backend}</code>, window {report.window.maxLength} sub-tokens (stride{' '}
        {report.window.stride}), evaluated {report.date.slice(0, 10)}. Dense data sets score whole entities (seqeval); FiNER-139's
        sparse sample scores its labelled words only.
      </p>
      {report.thresholds && (
        <p className="hint" data-testid="eval-thresholds" title={Object.entries(report.thresholds).map(([t, v]) => `${t} ${v}`).join(', ')}>
          Scores are after the model folder's per-type score thresholds (thresholds.json; an entity scoring below its type's is left
          out): {thresholdsLabel(report.thresholds)}.
        </p>
      )}
      <figure className="chart metrics-chart" aria-label="Bar chart of F1 per entity type and data set; the same figures are in the tables">
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" interval={0} tick={{ fontSize: 12 }} />
            <YAxis domain={[0, 100]} unit="%" width={52} />
            <Tooltip formatter={(v) => `${String(v)}%`} />
            <Legend />
            {report.datasets.map((d, i) => (
              <Bar key={d.name} dataKey={`d${i}`} name={`F1: ${datasetTitle(d.name)}`} fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      {report.datasets.map((d) => (
        <div className="table-scroll" key={d.name}>
          <table className="data-table metrics-table" data-dataset={d.name}>
            <caption>
              {datasetTitle(d.name)} <span className="count">({d.kind === 'dense' ? 'entities' : 'labelled words'}, {d.sentences.toLocaleString('en-US')} sentences, <code>{d.source}</code>)</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Precision %</th>
                <th scope="col">Recall %</th>
                <th scope="col">F1 %</th>
                <th scope="col">TP</th>
                <th scope="col">FP</th>
                <th scope="col">FN</th>
                <th scope="col">Support</th>
              </tr>
            </thead>
            <tbody>
              {d.metrics.types.map((t) => {
                const s = d.metrics.perType[t]!;
                return (
                  <tr key={t} data-type={t}>
                    <th scope="row" title={t}>
                      {displayNameOf(t)}
                    </th>
                    <td>{pct(s.precision)}</td>
                    <td>{pct(s.recall)}</td>
                    <td data-metric="f1">{pct(s.f1)}</td>
                    <td>{s.tp}</td>
                    <td>{s.fp}</td>
                    <td>{s.fn}</td>
                    <td>{s.support}</td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr data-type="micro">
                <th scope="row">Micro average</th>
                <td>{pct(d.metrics.micro.precision)}</td>
                <td>{pct(d.metrics.micro.recall)}</td>
                <td data-metric="f1">{pct(d.metrics.micro.f1)}</td>
                <td>{d.metrics.micro.tp}</td>
                <td>{d.metrics.micro.fp}</td>
                <td>{d.metrics.micro.fn}</td>
                <td>{d.metrics.micro.support}</td>
              </tr>
              <tr data-type="macro">
                <th scope="row">Macro average</th>
                <td>{pct(d.metrics.macro.precision)}</td>
                <td>{pct(d.metrics.macro.recall)}</td>
                <td data-metric="f1">{pct(d.metrics.macro.f1)}</td>
                <td colSpan={4} />
              </tr>
              {d.kind === 'dense' && (
                <tr data-type="accuracy">
                  <th scope="row">Word accuracy</th>
                  <td colSpan={7}>
                    {pct(d.metrics.tokenAccuracy)}% of {d.metrics.tokens.toLocaleString('en-US')} words
                  </td>
                </tr>
              )}
            </tfoot>
          </table>
        </div>
      ))}
    </section>
  );
}
