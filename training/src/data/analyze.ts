/**
 * `finer analyze DIR`: how often each label occurs, per split and overall
 * (tokens carrying it, sentences containing it), the top N, and totals.
 * Writes `public/reports/analysis.json` (read by the dashboard) and prints
 * the same figures as a table.
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { checkOutFile } from '../util/output.ts';
import { openDatasetFolder, readSplit, type DatasetFolder } from './dataset-folder.ts';
import type { FinerSentence, SplitName } from './sentence.ts';
import {
  ANALYSIS_SCHEMA, type AnalysisReport as BaseReport, type Distribution as BaseDistribution, type LabelCount,
} from '@finer-lens/core/reports/analysis.ts';

/** A distribution as written: every label, plus the N most frequent (ties: lower id first). */
export interface Distribution extends BaseDistribution {
  top: LabelCount[];
}

export interface AnalysisReport extends BaseReport<Distribution> {
  labelSource: DatasetFolder['labelSource'];
  topN: number;
}

/** Running counts for one split, or for all of them. */
class Counter {
  readonly tokenCounts: Float64Array;
  readonly sentenceCounts: Float64Array;
  private readonly lastSeen: Int32Array; // sentence index that last counted each label
  sentences = 0;
  tokens = 0;
  sentencesWithEntities = 0;

  constructor(labelCount: number) {
    this.tokenCounts = new Float64Array(labelCount);
    this.sentenceCounts = new Float64Array(labelCount);
    this.lastSeen = new Int32Array(labelCount).fill(-1);
  }

  add(sentence: FinerSentence): void {
    const s = this.sentences++;
    this.tokens += sentence.ner_tags.length;
    let tagged = false;
    for (const id of sentence.ner_tags) {
      this.tokenCounts[id]++;
      if (id !== 0) tagged = true;
      if (this.lastSeen[id] !== s) {
        this.lastSeen[id] = s;
        this.sentenceCounts[id]++;
      }
    }
    if (tagged) this.sentencesWithEntities++;
  }

  distribution(labelNames: readonly string[], topN: number): Distribution {
    const labels = labelNames.map((label, id) => ({
      id,
      label,
      tokens: this.tokenCounts[id],
      sentences: this.sentenceCounts[id],
    }));
    const top = [...labels].sort((a, b) => b.tokens - a.tokens || a.id - b.id).slice(0, topN);
    const entities = labels.filter((l) => l.label.startsWith('B-')).reduce((n, l) => n + l.tokens, 0);
    return {
      sentences: this.sentences,
      tokens: this.tokens,
      taggedTokens: this.tokens - (this.tokenCounts[0] ?? 0),
      entities,
      sentencesWithEntities: this.sentencesWithEntities,
      labels,
      top,
    };
  }
}

export async function analyzeDataset(dir: string, topN: number): Promise<AnalysisReport> {
  const folder = await openDatasetFolder(dir);
  const labelCount = folder.labelNames.length;
  const overall = new Counter(labelCount);
  const splits: AnalysisReport['splits'] = {};
  for (const split of folder.splits) {
    const counter = new Counter(labelCount);
    for await (const sentence of readSplit(folder, split)) {
      counter.add(sentence);
      overall.add(sentence);
    }
    splits[split.name] = counter.distribution(folder.labelNames, topN);
  }
  return {
    schema: ANALYSIS_SCHEMA,
    dataset: dir,
    labelSource: folder.labelSource,
    labelNames: [...folder.labelNames],
    topN,
    splits,
    overall: overall.distribution(folder.labelNames, topN),
  };
}

/** The overall top N as a text table, one column of token counts per split. */
export function formatAnalysisTable(report: AnalysisReport): string {
  const splitNames = Object.keys(report.splits) as SplitName[];
  const header = ['#', 'id', 'label', ...splitNames, 'total', 'sentences'];
  const rows = report.overall.top.map((l, rank) => [
    String(rank + 1),
    String(l.id),
    l.label,
    ...splitNames.map((s) => String(report.splits[s]!.labels[l.id].tokens)),
    String(l.tokens),
    String(l.sentences),
  ]);
  const totals = ['', '', 'all tokens', ...splitNames.map((s) => String(report.splits[s]!.tokens)), String(report.overall.tokens), String(report.overall.sentences)];
  const table = [header, ...rows, totals];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const numeric = (c: number) => c !== 2;
  const line = (r: string[]) => r.map((cell, c) => (numeric(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const o = report.overall;
  return [
    ...table.map(line),
    '',
    `${o.sentences} sentences, ${o.tokens} tokens, ${o.taggedTokens} tagged tokens, ${o.entities} entities, ` +
      `${o.sentencesWithEntities} sentences with an entity (labels: ${report.labelSource}, ${report.labelNames.length})`,
  ].join('\n');
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('entity distribution of a FiNER dataset folder (JSONL or parquet), per split and overall')
    .argument('<dir>', 'dataset folder')
    .option('--out <file>', 'report to write', 'public/reports/analysis.json')
    .option('--top <n>', 'how many labels to list', '10')
    .action(
      action(async (dir: string, opts: { out: string; top: string }) => {
        const topN = Number(opts.top);
        if (!Number.isInteger(topN) || topN < 1) throw new FinerError(`--top ${opts.top}: expected a positive integer`);
        await checkOutFile(opts.out, [dir]);
        const report = await analyzeDataset(dir, topN);
        await writeFileAtomic(opts.out, JSON.stringify(report, null, 1) + '\n');
        process.stdout.write(formatAnalysisTable(report) + `\nwrote ${opts.out}\n`);
      }),
    );
}
