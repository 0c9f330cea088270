import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { sharePercent, speedAgainstFastest } from '../app/figures.ts';
import type { CompareReport, PathResult } from '../app/reports.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** compare.json: the checkpoint, ONNX fp32, ONNX int8 and transformers.js on the same data: agreement, logits, metrics, speed. */
export function BackendComparison({ report }: { report: CompareReport }) {
  const { data, settings } = report;
  return (
    <section className="card" aria-labelledby="comparison-heading">
      <h3 id="comparison-heading">Checkpoint, ONNX and transformers.js compared</h3>
      <p className="hint">
        {data.sentences.toLocaleString('en-US')} sentences of <code>{data.source}</code> ({fmt(data.subTokens)} sub-tokens), batches of{' '}
        {settings.batchSize} sorted by length, {settings.threads} threads, on {report.date.slice(0, 10)} (Node, onnxruntime-node). Agreement
        is with the checkpoint's word predictions.
      </p>
      <div className="table-scroll">
        <table className="data-table compare-paths">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Words agreeing</th>
              <th scope="col">Max |logit diff|</th>
              <th scope="col">Micro F1 %</th>
              <th scope="col">Sub-tokens/s</th>
              <th scope="col">Against the fastest</th>
            </tr>
          </thead>
          <tbody>
            {report.paths.map((p) => (
              <tr key={p.path} data-path={p.path}>
                <th scope="row" title={p.description}>
                  {p.path}
                </th>
                <td data-metric="agreement">
                  {sharePercent(p.agreement.same, p.agreement.words)}% ({fmt(p.agreement.different)} differ)
                </td>
                <td>{p.maxAbsLogitDiff === undefined ? '—' : p.maxAbsLogitDiff.toExponential(2)}</td>
                <td>{(p.metrics.microF1 * 100).toFixed(2)}</td>
                <td data-metric="speed">{fmt(p.speed.subTokensPerSecond)}</td>
                <td data-metric="relative-speed">{speedAgainstFastest(p.path === report.fastest.path, report.fastest.speedup[p.path])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figure className="chart speed-chart" aria-label="Bar chart of sub-tokens per second for each path in Node; the same figures are in the table">
        <figcaption className="hint">
          Speed in Node (the training machine, {settings.threads} threads): the checkpoint on our training engine, the two ONNX files on
          onnxruntime-node and transformers.js in Node. No browser figure is in this report; the Tag text screen's <em>Compare both
          backends</em> times ONNX and HF in your browser.
        </figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={report.paths.map((p) => ({ path: p.path, speed: Math.round(p.speed.subTokensPerSecond) }))} margin={{ top: 8, right: 16, bottom: 8, left: 24 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="path" interval={0} tick={{ fontSize: 12 }} />
            <YAxis width={72} tickFormatter={fmt} label={{ value: 'Sub-tokens/s in Node', angle: -90, position: 'insideLeft', offset: -12, style: { textAnchor: 'middle' } }} />
            <Tooltip formatter={(v) => `${fmt(Number(v))} sub-tokens/s in Node`} />
            <Bar dataKey="speed" name="Sub-tokens/s in Node" fill="#2f6db5" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      {report.paths.filter((p) => p.path === 'onnx-int8' || p.batchDependence).map((p) => <BatchDependence key={p.path} path={p} batchSize={settings.batchSize} />)}
      <ul className="checks" aria-label="Checks">
        {report.checks.map((c) => (
          <li key={c.name} className={c.ok ? 'ok' : 'failed'} data-ok={c.ok}>
            <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <span className="visually-hidden">{c.ok ? 'passed:' : 'failed:'}</span> {c.name}
            {c.detail && <span className="count"> — {c.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * int8 is not the same model in every batch: its activations are quantised by
 * the range of the whole batch, so a sentence's labels can change with the
 * sentences beside it. Said with the figure (or that the report predates it),
 * never as identity.
 */
function BatchDependence({ path, batchSize }: { path: PathResult; batchSize: number }) {
  const b = path.batchDependence;
  const why = 'Dynamic quantisation scales the activations by their range over the whole batch, so int8 labels can change with the sentences that share a batch; fp32 has no such batch-wide step.';
  return (
    <p className="hint batch-dependence" data-path={path.path}>
      <strong>{path.path} depends on the batch.</strong>{' '}
      {b ? (
        <>
          Tagged one window per call instead of in batches of {batchSize}, <span data-metric="batch-dependence">{fmt(b.different)} of {fmt(path.agreement.words)} words ({fmt(b.sentencesDifferent)} sentences)</span> change label.{' '}
        </>
      ) : (
        <>Not measured in this report: <code>finer compare</code> measures it now. </>
      )}
      {why}
    </p>
  );
}
