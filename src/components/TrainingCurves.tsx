import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { evaluationTicks } from '../app/figures.ts';
import type { TrainReport } from '../app/reports.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
/** F1 and accuracy as the table writes them: percent, two decimals. */
const pct = (x: number) => (x * 100).toFixed(2);

/** train.json: the training loss per step and the validation evaluations (loss, F1, accuracy). */
export function TrainingCurves({ report }: { report: TrainReport }) {
  const hasF1 = report.evals.some((e) => e.f1 !== undefined);
  const evals = report.evals.map((e) => ({
    step: e.step,
    loss: e.loss,
    f1: e.f1 === undefined ? undefined : +(e.f1 * 100).toFixed(2),
    accuracy: +(e.accuracy * 100).toFixed(2),
  }));
  const o = report.options;
  return (
    <section className="card" aria-labelledby="training-heading">
      <h3 id="training-heading">Training curves</h3>
      <p className="hint">
        {report.model.n_layers} layers × {report.model.dim} dims, {fmt(report.model.parameters)} parameters; {fmt(report.steps)} of{' '}
        {fmt(report.totalSteps)} steps over {report.epochs} epochs
        {typeof o.batchSize === 'number' && `, batch ${o.batchSize}`}
        {typeof o.lr === 'number' && `, learning rate ${o.lr}`}; {fmt(Math.round(report.tokensPerSecond))} tokens/s.
        {report.best &&
          ` Best: ${report.best.metric === 'eval_f1' ? `validation entity F1 ${pct(report.best.value)}%` : `validation loss ${report.best.value.toFixed(4)}`} at step ${fmt(report.best.step)}.`}
      </p>
      <div className="curves">
        <figure className="chart loss-chart" aria-label="Line chart of the training loss per step and the validation loss per evaluation">
          <figcaption>Loss (log scale)</figcaption>
          <ResponsiveContainer width="100%" height={260}>
            <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tickFormatter={fmt} />
              <YAxis width={52} scale="log" domain={['auto', 'auto']} tickFormatter={(v: number) => String(+v.toPrecision(2))} />
              <Tooltip />
              <Legend />
              <Line data={report.history} dataKey="loss" name="Training loss" stroke="#2f6db5" dot={false} isAnimationActive={false} />
              <Line data={evals} dataKey="loss" name="Validation loss" stroke="#c2620f" isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart eval-chart" aria-label="Line chart of the validation F1 and word accuracy per evaluation">
          <figcaption>Validation {hasF1 ? 'entity F1 and ' : ''}word accuracy, at each evaluation step</figcaption>
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={evals} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} ticks={evaluationTicks(evals.map((e) => e.step))} tickFormatter={fmt} />
              <YAxis unit="%" width={52} domain={[0, 100]} />
              <Tooltip formatter={(v) => `${String(v)}%`} />
              <Legend />
              {hasF1 && <Line dataKey="f1" name="Entity F1" stroke="#2e8a57" isAnimationActive={false} />}
              <Line dataKey="accuracy" name="Word accuracy" stroke="#8a3fc4" isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <div className="table-scroll">
        <table className="data-table evals-table">
          <caption>Validation evaluations</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Epoch</th>
              <th scope="col">Loss</th>
              <th scope="col">Word accuracy %</th>
              <th scope="col">Entity F1 %</th>
            </tr>
          </thead>
          <tbody>
            {report.evals.map((e) => (
              <tr key={e.step}>
                <th scope="row">{fmt(e.step)}</th>
                <td>{e.epoch}</td>
                <td>{e.loss.toFixed(4)}</td>
                <td>{pct(e.accuracy)}</td>
                <td>{e.f1 === undefined ? '—' : pct(e.f1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
