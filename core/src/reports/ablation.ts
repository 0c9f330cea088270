/**
 * The schema of `ablation.json`: written by `finer ablation`
 * (training/src/ablation/), read by the dashboard. One row per model of the
 * ablation (pretraining budget, objective, shapes, negatives, size,
 * augmentation, the shipped model), gathered from the files each run left:
 * the encoder's pretraining.json, the fine-tune's train.json, the model's
 * eval.json, and for a staged model the 139-tag stage's train.json.
 *
 * Still schema 1: `stage139`, `series` and `files.stage139` are optional, and
 * `test` is null only in a row of the 139-tag stage alone (no 4-type
 * fine-tune, no eval.json), which has `stage139`. A report without such rows
 * reads as before.
 */
export const ABLATION_SCHEMA = 1;

/** The encoder a row's model was fine-tuned from; null in a row trained from random weights. */
export interface AblationPretraining {
  /** pretraining.json's objective: "mlm", or another one (ELECTRA's replaced-token detection). */
  objective: string;
  /** Sub-tokens read over every pretraining run of the encoder. */
  subTokens: number;
  hours: number;
  runs: number;
}

/** How the model was fine-tuned: the manifest's description, and from train.json when given. */
export interface AblationFineTune {
  description?: string;
  minutes?: number;
  /** Training sub-tokens per second of the fine-tune (train.json's tokensPerSecond). */
  subTokensPerSecond?: number;
  epochs?: number;
  steps?: number;
}

/** The dense evaluation (the test split): seqeval entity F1 per type and micro. */
export interface AblationTest {
  dataset: string;
  perTypeF1: Record<string, number>;
  microF1: number;
  precision: number;
  recall: number;
}

/**
 * The supervised stage on all 139 FiNER tags that a staged model went through
 * between pretraining and the 4 types, from that stage's own train.json
 * (`finer train --report`).
 */
export interface AblationStage139 {
  /** The best entity micro F1 (seqeval) over the stage's evaluations on its validation split (train.json's evals[].f1), not the last. */
  validationF1: number;
  /** Epochs the stage trained (train.json's epochs). */
  epochs: number;
  minutes?: number;
  /** Entity tags of the stage's label set (train.json's labels, B-/I- folded, O not counted), when it names any: 139 for FiNER-139. */
  labels?: number;
}

/** The labelled data of a row's 4-type fine-tune, when the manifest gives it: a point of the labelled-data curve. */
export interface AblationLabelled {
  /** Train companies whose labelled sentences the fine-tune saw. */
  companies: number;
  /** Their sentences with at least one of the 4 entity types (negatives not counted). */
  targetSentences: number;
}

export interface AblationRow {
  name: string;
  /** "pretraining", "objective", "shapes", "negatives", "size", "augmentation", "shipped", ... */
  group: string;
  note?: string;
  /** Model size, as the manifest describes it (e.g. "4x256, 7.4M"). */
  params?: string;
  /** A point of the F1-vs-pretraining plot: the rows of group "pretraining", those flagged `inPlot` or with a `series`, and ELECTRA rows (a row with `labelled` only when flagged). */
  inPlot: boolean;
  /**
   * The line of the plot the row's points are on (the manifest's): one line per
   * series and metric, in the order of pretraining sub-tokens. Absent: rows of
   * group "pretraining" (not ELECTRA) are on DEFAULT_SERIES, others are points alone.
   */
  series?: string;
  /** Pretrained with ELECTRA's objective: a separately marked point of the plot. */
  electra: boolean;
  pretraining: AblationPretraining | null;
  fineTune: AblationFineTune;
  /** The dense evaluation (the test split); null in a row without a 4-type evaluation (the 139-tag stage only, with `stage139`). */
  test: AblationTest | null;
  /** FiNER-139's sparse-gold sample: labelled-token micro F1; null when eval.json has no sparse data set, or there is no eval.json. */
  finerSample: { dataset: string; labelledTokens: number; microF1: number } | null;
  /** The 139-tag stage the model went through, when the manifest names its train.json. */
  stage139?: AblationStage139;
  /** Sub-tokens per second of the model in Node (a benchmark the manifest reports). */
  nodeSubTokensPerSecond?: number;
  /**
   * The labelled data the 4-type fine-tune saw (a point of the F1-vs-labelled-data plot, on the line of its
   * `series`, and then not of the F1-vs-pretraining plot unless `inPlot` says so).
   */
  labelled?: AblationLabelled;
  /** The files the row was built from, as the manifest names them. */
  files: { encoder?: string; eval?: string; train?: string; stage139?: string };
  /**
   * Present when the run's files were gone and the row was copied unchanged
   * from an earlier report (`finer ablation --previous`): that report's path
   * and date, and the files the manifest names that were missing.
   */
  carried?: AblationCarried;
}

/** Where a carried row's figures come from. */
export interface AblationCarried {
  /** The earlier ablation.json the row was copied from. */
  from: string;
  /** That report's date: when the figures were built from the run's files. */
  date: string;
  /** The row's files that were missing, as the manifest names them. */
  missing: string[];
}

export interface AblationReport {
  schema: typeof ABLATION_SCHEMA;
  /** ISO date-time the report was built. */
  date: string;
  /** The manifest it was built from. */
  manifest: string;
  /** The entity types of the test split, in eval.json's order: every row has an F1 for each. */
  types: string[];
  rows: AblationRow[];
}

/** The mark after a carried row's name, in the Markdown table and on the dashboard. */
export const CARRIED_MARK = '†';

/** What a carried row's mark says on the dashboard: its figures come from an earlier report, the run's files were not kept. */
export function carriedTitle(c: AblationCarried): string {
  return `Figures from an earlier report, ${c.from} (${c.date.slice(0, 10)}): the run's files were not kept (${c.missing.join(', ')})`;
}

/** The earlier reports a report's carried rows come from: one per (from, date), with the rows and their missing files. */
export function carriedSources(report: AblationReport): (AblationCarried & { rows: string[] })[] {
  const sources = new Map<string, AblationCarried & { rows: string[] }>();
  for (const r of report.rows) {
    if (!r.carried) continue;
    const key = JSON.stringify([r.carried.from, r.carried.date]);
    const source = sources.get(key) ?? { from: r.carried.from, date: r.carried.date, missing: [], rows: [] };
    source.rows.push(r.name);
    source.missing.push(...r.carried.missing.filter((f) => !source.missing.includes(f)));
    sources.set(key, source);
  }
  return [...sources.values()];
}

/** The plot's line of the rows of group "pretraining" that name no `series`: today's 3-epoch fine-tune from each encoder. */
export const DEFAULT_SERIES = '3-epoch fine-tune';

/** The series a row's points are joined in: the manifest's, or DEFAULT_SERIES for a (non-ELECTRA) row of group "pretraining"; null: points alone. */
export function seriesOf(r: AblationRow): string | null {
  if (r.series !== undefined) return r.series;
  return r.group === 'pretraining' && !r.electra ? DEFAULT_SERIES : null;
}

/** F1 as percent, one decimal: the precision the dashboard shows. */
export const pct = (f1: number): string => (100 * f1).toFixed(1);

/** F1 as percent, or "–" when the row has none. */
export const pctOrDash = (f1: number | undefined): string => (f1 === undefined ? '–' : pct(f1));

/** The plot's size in px, as `finer ablation` draws it and the dashboard shows it (its height grows with the legend's rows beyond three). */
export const PLOT_WIDTH = 700;
export const PLOT_HEIGHT = 510;

/** A row's pretraining in words: "mlm, 2.97M sub-tokens, 0.35 h", or none. */
export function pretrainingText(r: AblationRow): string {
  const p = r.pretraining;
  if (p === null) return 'none (random init)';
  return `${p.objective}, ${(p.subTokens / 1e6).toFixed(2)}M sub-tokens, ${p.hours.toFixed(2)} h`;
}

/** A row's fine-tune in words: the manifest's description, then train.json's minutes and speed. */
export function fineTuneText(r: AblationRow): string {
  const f = r.fineTune;
  const measured = [
    f.minutes !== undefined ? `${f.minutes.toFixed(0)} min` : '',
    f.subTokensPerSecond !== undefined ? `${Math.round(f.subTokensPerSecond).toLocaleString('en-US')} sub-tokens/s` : '',
  ].filter(Boolean).join(', ');
  return [f.description ?? '', measured].filter(Boolean).join('; ') || '–';
}
