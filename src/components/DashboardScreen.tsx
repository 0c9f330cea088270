import { useEffect } from 'react';
import { useAppStore } from '../store.ts';
import { DistributionChart } from './DistributionChart.tsx';
import { DistributionTable } from './DistributionTable.tsx';
import { EvaluationNotice } from './EvaluationNotice.tsx';
import { SplitTotals } from './SplitTotals.tsx';

const ANALYZE_COMMAND = 'npm run finer -- analyze data/ixbrl4 --out public/reports/analysis.json';

/** "Dashboard" tab: the reports the training CLI wrote to public/reports/. */
export function DashboardScreen() {
  const analysis = useAppStore((s) => s.analysis);
  const loadReports = useAppStore((s) => s.loadReports);
  useEffect(() => {
    void loadReports();
  }, [loadReports]);

  return (
    <section className="screen" aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">Entity distribution</h2>
      {analysis.status === 'loading' && <p role="status">Loading reports/analysis.json…</p>}
      {analysis.status === 'missing' && (
        <div role="alert" className="notice">
          <strong>No analysis report yet.</strong> Run <code>{ANALYZE_COMMAND}</code> (on a dataset folder), then
          rebuild the app.
        </div>
      )}
      {analysis.status === 'error' && (
        <div role="alert" className="notice notice-error">
          <strong>The analysis report cannot be shown.</strong> {analysis.message}
        </div>
      )}
      {analysis.status === 'ready' && (
        <>
          <p className="hint">
            Dataset <code>{analysis.report.dataset || '(not named)'}</code>, from <code>reports/analysis.json</code>{' '}
            written by <code>finer analyze</code>.
          </p>
          <DistributionChart report={analysis.report} />
          <SplitTotals report={analysis.report} />
          <DistributionTable report={analysis.report} />
        </>
      )}
      <EvaluationNotice />
    </section>
  );
}
