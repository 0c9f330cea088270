/**
 * Rows carried over from an earlier ablation.json. The files a manifest row
 * names live under runs/, which is not kept between sessions: when one of
 * them is gone, the row is copied unchanged from the earlier report (marked
 * `carried`), instead of the report not being buildable at all. A row whose
 * files are all there is always rebuilt from them. Only the row's `series`
 * is today's manifest's: it says which line of the plot the row is drawn on,
 * not what was measured.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AblationReport, AblationRow } from '@finer-lens/core/reports/ablation.ts';
import { parseAblationReport } from '@finer-lens/core/reports/parse.ts';
import { readReportFile } from '@finer-lens/training/infer/model-folder.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import type { ManifestRow } from './ablation.ts';
import { inPretrainingPlot } from './plot.ts';

/** What each file a manifest row names is, for messages. */
export const EVAL_WHAT = 'evaluation report (eval.json of finer evaluate)';
export const TRAIN_WHAT = 'training report (train.json of finer train --report)';
export const ENCODER_WHAT = 'the folder "finer pretrain" wrote (with pretraining.json)';
export const STAGE139_WHAT = "139-tag stage's training report (train.json of finer train --report on the 139 FiNER tags)";
const PREVIOUS_WHAT = 'earlier ablation report (ablation.json of lab ablation) to carry rows from';

/** A file of a manifest row that is not there: as the manifest names it, and what was expected. */
export interface MissingFile {
  named: string;
  message: string;
}

/** The files of a manifest row that are not there, in the order the row is built: eval.json, the encoder folder, train.json, the 139-tag stage's train.json. */
export function missingFiles(m: ManifestRow, base: string): MissingFile[] {
  const missing: MissingFile[] = [];
  const check = (named: string | undefined, message: (path: string) => string) => {
    if (named === undefined) return;
    const path = resolve(base, named);
    if (!existsSync(path)) missing.push({ named, message: message(path) });
  };
  check(m.eval, (p) => `${p}: missing; expected the ${EVAL_WHAT}`);
  check(m.encoder, (p) => `${p}: no such encoder folder; expected ${ENCODER_WHAT}`);
  check(m.train, (p) => `${p}: missing; expected the ${TRAIN_WHAT}`);
  check(m.stage139, (p) => `${p}: missing; expected the ${STAGE139_WHAT}`);
  return missing;
}

/** Read an earlier ablation.json and check it with the dashboard's parser; a FinerError names the file. */
export function readPrevious(path: string): Promise<AblationReport> {
  return readReportFile(path, PREVIOUS_WHAT, parseAblationReport);
}

/** The earlier report, read the first time a row needs it. */
export interface Previous {
  path: string;
  load: () => Promise<AblationReport>;
}

export function previousReport(path: string | undefined): Previous | undefined {
  if (path === undefined) return undefined;
  let report: Promise<AblationReport> | undefined;
  return { path, load: () => (report ??= readPrevious(path)) };
}

/**
 * The row of manifest row `m`, whose files `missing` are gone, from the
 * earlier report: unchanged but for `carried`, and `series`, `labelled` and
 * `inPlot`, which are the manifest's (inPretrainingPlot, as for a row built
 * from files). A row that was already carried keeps where and when its
 * figures were built; `missing` is today's.
 * Without an earlier row of that name: the error of the first missing file.
 */
export async function carryRow(m: ManifestRow, missing: MissingFile[], previous: Previous | undefined, label: string): Promise<AblationRow> {
  const first = `${label}: ${missing[0]!.message}`;
  if (previous === undefined) throw new FinerError(`${first}; and no earlier report to carry the row from (--previous)`);
  const report = await previous.load();
  const row = report.rows.find((r) => r.name === m.name);
  if (row === undefined) throw new FinerError(`${first}; and the earlier report ${previous.path} has no row "${m.name}" to carry`);
  const origin = row.carried ?? { from: previous.path, date: report.date };
  const figures: AblationRow = { ...row };
  delete figures.series;
  delete figures.labelled;
  return {
    ...figures,
    ...(m.series !== undefined ? { series: m.series } : {}),
    ...(m.labelled !== undefined ? { labelled: { ...m.labelled } } : {}),
    inPlot: inPretrainingPlot(m, row.electra),
    carried: { from: origin.from, date: origin.date, missing: missing.map((f) => f.named) },
  };
}
