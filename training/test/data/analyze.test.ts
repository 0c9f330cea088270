import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS, SUBSET_LABELS } from '@finer-lens/core/ner/labels.ts';
import { analyzeDataset, formatAnalysisTable } from '../../src/data/analyze.ts';
import { sentence, sentencesWithCounts, tempDir, writeJsonlDataset, writeParquet } from './fixtures.ts';

// FiNER-139's shape: O dominates, then 41, 87, 34, 37, then a long tail.
const TRAIN = { 41: 9, 87: 7, 34: 5, 37: 4, 38: 3, 100: 1 };
const TEST = { 41: 3, 87: 2, 34: 2, 37: 1 };

describe('finer analyze', () => {
  it('counts tokens and sentences per label, per split and overall, and ranks them', async () => {
    const dir = tempDir();
    // each entity sentence: O, 2 tokens of the label, O
    await writeJsonlDataset(dir, { train: sentencesWithCounts(TRAIN, 2), test: sentencesWithCounts(TEST, 2) });
    const report = await analyzeDataset(dir, 5);

    expect(report.schema).toBe(1);
    expect(report.overall.top.map((l) => l.id)).toEqual([0, 41, 87, 34, 37]);
    expect(report.overall.top.map((l) => l.label)).toEqual(SUBSET_LABELS);
    const train = report.splits.train!;
    const trainSentences = 9 + 7 + 5 + 4 + 3 + 1;
    expect(train.sentences).toBe(trainSentences);
    expect(train.tokens).toBe(4 * trainSentences);
    expect(train.labels[41]).toEqual({ id: 41, label: FINER139_LABELS[41], tokens: 18, sentences: 9 });
    expect(train.labels[0]).toMatchObject({ tokens: 2 * trainSentences, sentences: trainSentences });
    expect(train.labels[38]).toMatchObject({ tokens: 6, sentences: 3 }); // an I- label
    expect(train.entities).toBe(2 * (9 + 7 + 5 + 4 + 1)); // B- tokens only
    expect(train.taggedTokens).toBe(2 * trainSentences);
    expect(report.splits.validation).toBeUndefined();
    expect(report.overall.labels[87]).toMatchObject({ tokens: 18, sentences: 9 });
    expect(report.overall.sentencesWithEntities).toBe(trainSentences + 8);
    expect(report.overall.labels).toHaveLength(279);

    const table = formatAnalysisTable(report).split('\n');
    expect(table[0].split(/\s+/)).toEqual(['#', 'id', 'label', 'train', 'test', 'total', 'sentences']);
    expect(table[2].split(/\s+/)).toEqual(['2', '41', FINER139_LABELS[41], '18', '6', '24', '12']);
  });

  it('counts a label once per sentence however many tokens carry it; ties rank the lower id first', async () => {
    const dir = tempDir();
    await writeJsonlDataset(dir, { validation: [sentence('a', [2, 2, 2, 1]), sentence('b', [1, 1, 0])] }, {
      label_names: ['O', 'B-X', 'B-Y'],
    });
    const report = await analyzeDataset(dir, 10);
    expect(report.labelSource).toBe('dataset_info.json');
    expect(report.overall.labels.map((l) => [l.label, l.tokens, l.sentences])).toEqual([['O', 1, 1], ['B-X', 3, 2], ['B-Y', 3, 1]]);
    expect(report.overall.top.map((l) => l.label)).toEqual(['B-X', 'B-Y', 'O']);
  });

  it('gives the same figures for the parquet form of a folder', async () => {
    const jsonl = tempDir();
    const parquet = tempDir();
    const rows = sentencesWithCounts(TRAIN);
    await writeJsonlDataset(jsonl, { train: rows });
    await writeParquet(join(parquet, 'train', '0000.parquet'), rows, { rowGroupSize: 4 });
    const [a, b] = [await analyzeDataset(jsonl, 3), await analyzeDataset(parquet, 3)];
    expect(b.splits).toEqual(a.splits);
  });
});
