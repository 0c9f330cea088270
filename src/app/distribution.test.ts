import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { CHART_MAX_ENTITIES, entityRows, testSetsDiffer } from './distribution.ts';
import { parseAnalysisReport, parseEvalReport } from './reports.ts';
import type { AnalysisReport, Distribution } from './reports.ts';

function dist(tokens: number[]): Distribution {
  const labels = tokens.map((t, id) => ({ id, label: FINER139_LABELS[id], tokens: t, sentences: Math.min(t, 3) }));
  const entities = labels.filter((l) => l.label.startsWith('B-')).reduce((s, l) => s + l.tokens, 0);
  const total = tokens.reduce((a, b) => a + b, 0);
  return { sentences: 10, tokens: total, taggedTokens: total - tokens[0], entities, sentencesWithEntities: 10, labels };
}

function report(train: number[], test: number[]): AnalysisReport {
  return {
    schema: 1,
    dataset: 'd',
    labelNames: FINER139_LABELS.slice(0, train.length),
    splits: { train: dist(train), test: dist(test) },
    overall: dist(train.map((t, i) => t + test[i])),
  };
}

describe('entityRows', () => {
  it('gives B- token counts per split, or their share of the split entities', () => {
    // ids 0..3: O, B-AccrualFor..., B-AcquiredFinite..., I-AcquiredFinite...
    const r = report([100, 3, 1, 5], [50, 1, 1, 0]);
    const counts = entityRows(r, 'tokens');
    expect(counts.map((row) => row.tag)).toEqual(['AccrualForEnvironmentalLossContingencies', 'AcquiredFiniteLivedIntangibleAssetsWeightedAverageUsefulLife']);
    expect(counts[0].values).toEqual({ train: 3, test: 1, overall: 4 });
    const share = entityRows(r, 'share');
    expect(share[0].values).toEqual({ train: 75, test: 50, overall: (100 * 4) / 6 });
    expect(share[1].values.train! + share[0].values.train!).toBeCloseTo(100);
  });

  it('keeps the most frequent entity types overall when there are too many for a chart', () => {
    const tokens = FINER139_LABELS.map((_, id) => id); // later ids more frequent
    const rows = entityRows(report(tokens, tokens), 'tokens');
    expect(rows).toHaveLength(CHART_MAX_ENTITIES);
    const overall = rows.map((r) => r.values.overall!);
    expect(overall).toEqual([...overall].sort((a, b) => b - a));
    const bTokens = FINER139_LABELS.map((l, id) => (l.startsWith('B-') ? 2 * id : -1)).sort((a, b) => b - a);
    expect(overall).toEqual(bTokens.slice(0, CHART_MAX_ENTITIES));
  });
});

describe('testSetsDiffer', () => {
  const analysis = parseAnalysisReport(JSON.parse(readFileSync(new URL('../../public/reports/analysis.json', import.meta.url), 'utf8')), 'analysis.json');
  const evaluation = parseEvalReport(JSON.parse(readFileSync(new URL('../../public/reports/eval.json', import.meta.url), 'utf8')), 'eval.json');
  const scored = evaluation.datasets.find((d) => d.name === 'test')!;

  it("names both data sets with their test split's sentences and entities when they differ", () => {
    const differ = testSetsDiffer(analysis, { ...evaluation, datasets: [{ ...scored, source: 'data/other', sentences: analysis.splits.test!.sentences + 5 }] });
    expect(differ).toEqual({
      distribution: { dataset: analysis.dataset, sentences: analysis.splits.test!.sentences, entities: analysis.splits.test!.entities },
      metrics: { dataset: 'data/other', sentences: analysis.splits.test!.sentences + 5, entities: scored.metrics.micro.support },
    });
  });

  it('is silent when the metrics are on the sentences the distribution counts', () => {
    const same = { ...scored, source: analysis.dataset, sentences: analysis.splits.test!.sentences };
    expect(testSetsDiffer(analysis, { ...evaluation, datasets: [same] })).toBeUndefined();
  });

  it('is silent without a test split on either side', () => {
    expect(testSetsDiffer(analysis, { ...evaluation, datasets: evaluation.datasets.filter((d) => d.name !== 'test') })).toBeUndefined();
    expect(testSetsDiffer({ ...analysis, splits: { train: analysis.splits.train } }, evaluation)).toBeUndefined();
  });
});
