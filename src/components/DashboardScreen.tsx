import { useEffect, useRef } from 'react';
import { testSetsDiffer } from '../app/distribution.ts';
import type { AnalysisReport, EvalReport } from '../app/reports.ts';
import { useAppStore } from '../store.ts';
import { AblationTable } from './AblationTable.tsx';
import { BackendComparison } from './BackendComparison.tsx';
import { ConfusionHeatmap } from './ConfusionHeatmap.tsx';
import { DistributionChart } from './DistributionChart.tsx';
import { DistributionTable } from './DistributionTable.tsx';
import { MetricsPerType } from './MetricsPerType.tsx';
import { ReportNotice } from './ReportNotice.tsx';
import { SplitTotals } from './SplitTotals.tsx';
import { TrainingCurves } from './TrainingCurves.tsx';
import { useNoChartTabStops } from './useNoChartTabStops.ts';
import { WholeDocuments } from './WholeDocuments.tsx';

const ANALYZE_COMMAND = 'npm run finer -- analyze data/ixbrl4 --out public/reports/analysis.json';
const EVALUATE_COMMAND =
  'npm run finer -- evaluate --model public/models/finer-lens-small --data data/finer4 ../shared/data/finer139-sample/finer139_train_sample.jsonl';
const TRAIN_COMMAND = 'npm run finer -- train … --report public/reports/train.json';
const COMPARE_COMMAND = 'npm run finer -- compare --model public/models/finer-lens-small --data data/finer4';
const ABLATION_COMMAND =
  'npm run lab -- ablation --runs lab/ablation/manifest.json --out public/reports/ablation.json --plot public/reports/f1-vs-pretraining.svg --labelled-plot public/reports/f1-vs-labelled.svg';

/** "Dashboard" tab: the reports the training CLI wrote to public/reports/ (the app computes none of it). */
export function DashboardScreen() {
  const analysis = useAppStore((s) => s.analysis);
  const evaluation = useAppStore((s) => s.evaluation);
  const training = useAppStore((s) => s.training);
  const comparison = useAppStore((s) => s.comparison);
  const ablation = useAppStore((s) => s.ablation);
  const loadReports = useAppStore((s) => s.loadReports);
  useEffect(() => {
    void loadReports();
  }, [loadReports]);
  const screen = useRef<HTMLElement>(null);
  useNoChartTabStops(screen);

  return (
    <section className="screen" aria-labelledby="dashboard-heading" ref={screen}>
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
          {evaluation.status === 'ready' && <TestSetsNote analysis={analysis.report} evaluation={evaluation.report} />}
          <DistributionChart report={analysis.report} />
          <SplitTotals report={analysis.report} />
          <DistributionTable report={analysis.report} />
        </>
      )}

      <h2 id="evaluation-heading">Evaluation</h2>
      <ReportNotice state={evaluation} file="eval.json" what="evaluation report" command={EVALUATE_COMMAND} />
      {evaluation.status === 'ready' && (
        <>
          <MetricsPerType report={evaluation.report} />
          {evaluation.report.wholeDocument && (
            <WholeDocuments whole={evaluation.report.wholeDocument} thresholded={evaluation.report.thresholds !== undefined} checked={evaluation.report.verifier !== undefined} />
          )}
          <ConfusionHeatmap report={evaluation.report} />
        </>
      )}

      <h2 id="training-section-heading">Training</h2>
      <ReportNotice state={training} file="train.json" what="training report" command={TRAIN_COMMAND} />
      {training.status === 'ready' && <TrainingCurves report={training.report} />}

      <h2 id="comparison-section-heading">Backends</h2>
      <ReportNotice state={comparison} file="compare.json" what="comparison report" command={COMPARE_COMMAND} />
      {comparison.status === 'ready' && <BackendComparison report={comparison.report} />}

      <h2 id="ablation-section-heading">Model quality: ablation</h2>
      <ReportNotice state={ablation} file="ablation.json" what="ablation report" command={ABLATION_COMMAND} />
      {ablation.status === 'ready' && (
        <AblationTable
          report={ablation.report}
          plotUrl={`${import.meta.env.BASE_URL}reports/f1-vs-pretraining.svg`}
          labelledPlotUrl={`${import.meta.env.BASE_URL}reports/f1-vs-labelled.svg`}
        />
      )}
    </section>
  );
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Says so when the distribution above and the metrics below count different test sentences, and why they may. */
function TestSetsNote({ analysis, evaluation }: { analysis: AnalysisReport; evaluation: EvalReport }) {
  const differ = testSetsDiffer(analysis, evaluation);
  if (!differ) return null;
  const { distribution: d, metrics: m } = differ;
  return (
    <p className="notice test-sets-note" data-testid="test-sets-note">
      <strong>Two data sets.</strong> This distribution is of <code>{d.dataset}</code> (test split: {fmt(d.sentences)} sentences,{' '}
      {fmt(d.entities)} entities); the metrics under Evaluation are on <code>{m.dataset}</code> (test split: {fmt(m.sentences)} sentences,{' '}
      {fmt(m.entities)} entities).{' '}
      {d.entities === m.entities && m.sentences > d.sentences ? (
        <>
          Both count {fmt(d.entities)} entities: the metrics' {fmt(m.sentences - d.sentences)} extra sentences are negatives, holding
          none of the four types (<code>finer subset --negatives</code> adds sentences that hold only other FiNER-139 tags), so that the
          scores also count false alarms on numbers the model must leave alone.
        </>
      ) : (
        'They hold different entities, so their figures do not compare one to one.'
      )}
    </p>
  );
}
