/**
 * The schema of `ablation.json`: written by `npm run lab -- ablation`
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
import * as v from 'valibot';
import { absentOrNull, below, count, expecting, list, num, object, recordOf, str, strings } from './schema.ts';

export const ABLATION_SCHEMA = 1;

/** The encoder a row's model was fine-tuned from; null in a row trained from random weights. */
const pretraining = object(
  {
    // pretraining.json's objective: "mlm", or another one (ELECTRA's replaced-token detection)
    objective: str,
    // sub-tokens read over every pretraining run of the encoder
    subTokens: count,
    hours: count,
    runs: count,
  },
  '{objective, subTokens, hours, runs} or null',
);

/** How the model was fine-tuned: the manifest's description, and from train.json when given. */
const fineTune = object(
  {
    description: absentOrNull(str),
    minutes: absentOrNull(num),
    // training sub-tokens per second of the fine-tune (train.json's tokensPerSecond)
    subTokensPerSecond: absentOrNull(num),
    epochs: absentOrNull(num),
    steps: absentOrNull(num),
  },
  '{description?, minutes?, subTokensPerSecond?, epochs?, steps?}',
);

/** The dense evaluation (the test split): seqeval entity F1 per type (one for each of the report's `types`) and micro. */
const test = object(
  { dataset: str, perTypeF1: recordOf(num, 'an object of F1 per type'), microF1: num, precision: num, recall: num },
  '{dataset, perTypeF1, microF1, precision, recall}',
);

const isF1 = expecting('an F1 between 0 and 1');

/**
 * The supervised stage on all 139 FiNER tags that a staged model went through
 * between pretraining and the 4 types, from that stage's own train.json
 * (`finer train --report`).
 */
const stage139 = object(
  {
    // the best entity micro F1 (seqeval) over the stage's evaluations on its validation split (train.json's evals[].f1), not the last
    validationF1: v.pipe(num, v.minValue(0, isF1), v.maxValue(1, isF1)),
    // epochs the stage trained (train.json's epochs)
    epochs: num,
    minutes: absentOrNull(num),
    // entity tags of the stage's label set (train.json's labels, B-/I- folded, O not counted), when it names any: 139 for FiNER-139
    labels: absentOrNull(count),
  },
  "{validationF1, epochs, minutes?, labels?}: the 139-tag stage's best validation entity F1, its epochs, minutes and tags",
);

const isAboveZero = expecting('a whole number above 0');
const aboveZero = v.pipe(count, v.integer(isAboveZero), v.minValue(1, isAboveZero));

/** The labelled data of a row's 4-type fine-tune, when the manifest gives it: a point of the labelled-data curve. */
const labelled = object(
  {
    // train companies whose labelled sentences the fine-tune saw
    companies: aboveZero,
    // their sentences with at least one of the 4 entity types (negatives not counted)
    targetSentences: aboveZero,
  },
  '{companies, targetSentences}: the train companies and target sentences of the fine-tune',
);

/** Where a carried row's figures come from. */
const carried = object(
  {
    // the earlier ablation.json the row was copied from
    from: str,
    // that report's date: when the figures were built from the run's files
    date: str,
    // the row's files that were missing, as the manifest names them
    missing: strings,
  },
  '{from, date, missing}: the earlier report the row was carried from, its date, and the missing files',
);

const TEST = '{dataset, perTypeF1, microF1, precision, recall}';

const row = v.pipe(
  object(
    {
      name: str,
      // "pretraining", "objective", "shapes", "negatives", "size", "augmentation", "shipped", ...
      group: str,
      // a point of the F1-vs-pretraining plot: the rows of group "pretraining", those flagged `inPlot` or with a `series`, and ELECTRA rows (a row with `labelled` only when flagged)
      inPlot: v.fallback(v.boolean(), false),
      // pretrained with ELECTRA's objective: a separately marked point of the plot
      electra: v.fallback(v.boolean(), false),
      pretraining: v.nullable(pretraining),
      fineTune,
      // the dense evaluation (the test split); null in a row without a 4-type evaluation (the 139-tag stage only, with `stage139`)
      test: v.nullable(test),
      // FiNER-139's sparse-gold sample: labelled-token micro F1; null when eval.json has no sparse data set, or there is no eval.json
      finerSample: v.nullable(object({ dataset: str, labelledTokens: count, microF1: num }, '{dataset, labelledTokens, microF1} or null')),
      // the files the row was built from, as the manifest names them
      files: object(
        { eval: absentOrNull(str), encoder: absentOrNull(str), train: absentOrNull(str), stage139: absentOrNull(str) },
        '{eval?, encoder?, train?, stage139?}',
      ),
      /**
       * The line of the plot the row's points are on (the manifest's): one line per
       * series and metric, in the order of pretraining sub-tokens. Absent: rows of
       * group "pretraining" (not ELECTRA) are on DEFAULT_SERIES, others are points alone.
       */
      series: absentOrNull(str),
      // the 139-tag stage the model went through, when the manifest names its train.json
      stage139: v.optional(stage139),
      note: absentOrNull(str),
      // model size, as the manifest describes it (e.g. "4x256, 7.4M")
      params: absentOrNull(str),
      // sub-tokens per second of the model in Node (a benchmark the manifest reports)
      nodeSubTokensPerSecond: absentOrNull(num),
      /**
       * The labelled data the 4-type fine-tune saw (a point of the F1-vs-labelled-data plot, on the line of its
       * `series`, and then not of the F1-vs-pretraining plot unless `inPlot` says so).
       */
      labelled: v.optional(labelled),
      /**
       * Present when the run's files were gone and the row was copied unchanged
       * from an earlier report (`lab ablation --previous`): that report's path
       * and date, and the files the manifest names that were missing.
       */
      carried: v.optional(carried),
    },
    'a row {name, group, pretraining, fineTune, test, finerSample, files}',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const r = dataset.value;
    if (r.test === null && r.stage139 === undefined) {
      addIssue({ message: `null in a row without stage139; expected ${TEST} (null only in a row of the 139-tag stage alone)`, path: below('test') });
    } else if (r.test !== null && r.files.eval === undefined) {
      // a row with the test split's F1 was built from an eval.json
      addIssue({ message: 'expected a string, found nothing', path: below('files', 'eval') });
    }
  }),
);

export const ablationReportSchema = v.pipe(
  object(
    {
      schema: v.literal(ABLATION_SCHEMA),
      // ISO date-time the report was built
      date: str,
      // the manifest it was built from
      manifest: str,
      // the entity types of the test split, in eval.json's order: every row has an F1 for each
      types: strings,
      rows: list(row, 'rows'),
    },
    'a JSON object',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { types, rows } = dataset.value;
    for (const [i, r] of rows.entries()) {
      const missing = r.test === null ? undefined : types.find((t) => !(t in r.test!.perTypeF1));
      if (missing !== undefined) addIssue({ message: 'expected a number, found nothing', path: below('rows', i, 'test', 'perTypeF1', missing) });
    }
  }),
);

export type AblationPretraining = v.InferOutput<typeof pretraining>;
export type AblationFineTune = v.InferOutput<typeof fineTune>;
export type AblationTest = v.InferOutput<typeof test>;
export type AblationStage139 = v.InferOutput<typeof stage139>;
export type AblationLabelled = v.InferOutput<typeof labelled>;
export type AblationCarried = v.InferOutput<typeof carried>;
export type AblationRow = v.InferOutput<typeof row>;
export type AblationReport = v.InferOutput<typeof ablationReportSchema>;

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

/** The plot's size in px, as `lab ablation` draws it and the dashboard shows it (its height grows with the legend's rows beyond three). */
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
