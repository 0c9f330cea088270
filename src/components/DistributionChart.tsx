import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { COLUMNS, entityRows, type Column } from '../app/distribution.ts';
import type { AnalysisReport } from '../app/reports.ts';
import { useAppStore } from '../store.ts';

const SERIES: Record<Column, { name: string; colour: string }> = {
  train: { name: 'Train', colour: '#2f6db5' },
  validation: { name: 'Validation', colour: '#d9822b' },
  test: { name: 'Test', colour: '#3d9a6a' },
  overall: { name: 'Overall', colour: '#6b6f80' },
};

/** Grouped bars: one group per entity type, one bar per split and overall. */
export function DistributionChart({ report }: { report: AnalysisReport }) {
  const measure = useAppStore((s) => s.chartMeasure);
  const setMeasure = useAppStore((s) => s.setChartMeasure);
  const rows = entityRows(report, measure).map((r) => ({ name: r.name, tag: r.tag, ...r.values }));
  const columns = COLUMNS.filter((c) => c === 'overall' || report.splits[c] !== undefined);
  const format = (v: number) => (measure === 'share' ? `${v.toFixed(1)}%` : v.toLocaleString('en-US'));

  return (
    <section className="card" aria-labelledby="chart-heading">
      <div className="card-head">
        <h3 id="chart-heading">Entity mentions per split</h3>
        <fieldset className="measure-toggle">
          <legend className="visually-hidden">Chart measure</legend>
          <label>
            <input type="radio" name="measure" checked={measure === 'tokens'} onChange={() => setMeasure('tokens')} />
            Count
          </label>
          <label>
            <input type="radio" name="measure" checked={measure === 'share'} onChange={() => setMeasure('share')} />
            Share of the split's entities
          </label>
        </fieldset>
      </div>
      <figure className="chart distribution-chart" aria-label="Bar chart of entity mentions per split; the same figures are in the tables below">
        <ResponsiveContainer width="100%" height={340}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" interval={0} tick={{ fontSize: 12 }} />
            <YAxis tickFormatter={format} width={64} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
            <Legend itemSorter={null} />
            {columns.map((c) => (
              <Bar key={c} dataKey={c} name={SERIES[c].name} fill={SERIES[c].colour} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </section>
  );
}
