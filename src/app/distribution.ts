/**
 * Reshaping an analysis report for the dashboard (no counting: the numbers
 * are the report's, only picked and divided for display).
 */
import type { AnalysisReport, Distribution, EvalReport } from './reports.ts';
import { SPLITS, type SplitName } from './reports.ts';
import { displayNameOf, tagOfLabel } from '@finer-lens/core/ner/tags.ts';

export type Column = SplitName | 'overall';
export const COLUMNS: readonly Column[] = [...SPLITS, 'overall'];

/** One entity type across the splits: `B-` token counts (mentions) or their share of the split's entities (%). */
export interface EntityRow {
  tag: string;
  name: string;
  values: Partial<Record<Column, number>>;
}

/** The chart shows at most this many entity types (a FiNER-139 report has 139): the most frequent overall. */
export const CHART_MAX_ENTITIES = 10;

export function distributionOf(report: AnalysisReport, column: Column): Distribution | undefined {
  return column === 'overall' ? report.overall : report.splits[column];
}

/** Entity rows for the chart, most frequent first when there are more than CHART_MAX_ENTITIES. */
export function entityRows(report: AnalysisReport, measure: 'tokens' | 'share'): EntityRow[] {
  const entityIds = report.overall.labels.filter((l) => l.label.startsWith('B-')).map((l) => l.id);
  const overallTokens = new Map(report.overall.labels.map((l) => [l.id, l.tokens]));
  const ids =
    entityIds.length > CHART_MAX_ENTITIES
      ? [...entityIds].sort((a, b) => overallTokens.get(b)! - overallTokens.get(a)! || a - b).slice(0, CHART_MAX_ENTITIES)
      : entityIds;
  return ids.map((id) => {
    const label = report.labelNames[id] ?? report.overall.labels.find((l) => l.id === id)!.label;
    const values: Partial<Record<Column, number>> = {};
    for (const column of COLUMNS) {
      const dist = distributionOf(report, column);
      if (!dist) continue;
      const tokens = dist.labels.find((l) => l.id === id)?.tokens ?? 0;
      values[column] = measure === 'tokens' ? tokens : dist.entities > 0 ? (100 * tokens) / dist.entities : 0;
    }
    return { tag: tagOfLabel(label), name: displayNameOf(label), values };
  });
}

/** One split of a data set as a report counts it. */
export interface SplitCount {
  dataset: string;
  sentences: number;
  entities: number;
}

/** The test split of analysis.json against the test split eval.json scores, when they are not the same sentences. */
export interface TestSetsDiffer {
  distribution: SplitCount;
  metrics: SplitCount;
}

/**
 * analysis.json and eval.json may describe two data sets (the distribution of
 * the positive sentences, the metrics on them plus negatives): the dashboard
 * says so when their test splits differ in data set or size.
 */
export function testSetsDiffer(analysis: AnalysisReport, evaluation: EvalReport): TestSetsDiffer | undefined {
  const test = analysis.splits.test;
  const scored = evaluation.datasets.find((d) => d.name === 'test' && d.kind === 'dense');
  if (!test || !scored) return undefined;
  const distribution = { dataset: analysis.dataset, sentences: test.sentences, entities: test.entities };
  const metrics = { dataset: scored.source, sentences: scored.sentences, entities: scored.metrics.micro.support };
  if (distribution.dataset === metrics.dataset && distribution.sentences === metrics.sentences) return undefined;
  return { distribution, metrics };
}
