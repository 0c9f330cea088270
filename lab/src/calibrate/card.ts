/**
 * `lab calibrate-card --model COPY --export DIR`: the calibration note of a
 * model card. `finer export` knows nothing of calibration; run on a
 * `lab calibrate` copy it writes the card of any training run. This command
 * then copies the copy's calibration.json into the exported folder and adds
 * one paragraph to its README.md, right after the training facts.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile } from '@finer-lens/training/infer/model-folder.ts';
import { writeFileAtomic } from '@finer-lens/training/util/atomic.ts';
import { action } from '@finer-lens/training/util/cli.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { CALIBRATION_FILE } from './calibrate.ts';
import type { CalibrationReport } from './command.ts';

const pct = (x: number) => (100 * x).toFixed(1);
const TRAINING = '\n## Training\n\n';

/** The card's paragraph on a calibration: where the offsets were fitted, the F1 they bought, the offsets. */
export function calibrationParagraph(c: Pick<CalibrationReport, 'split' | 'offsets' | 'before' | 'after'>): string {
  const offsets = Object.entries(c.offsets).map(([t, v]) => `${t} ${v >= 0 ? '+' : ''}${v}`).join(', ');
  return `Calibrated by \`lab calibrate\`: per-type logit offsets fitted on the ${c.split} split (entity micro F1 ${pct(c.before.micro)} -> ${pct(c.after.micro)}) are folded into \`classifier.bias\` (${offsets}).`;
}

/** `card` with `paragraph` after its training facts (the first paragraph under "## Training"); `where` names the card in errors. */
export function withParagraph(card: string, paragraph: string, where: string): string {
  const heading = card.indexOf(TRAINING);
  if (heading < 0) throw new FinerError(`${where}: no "## Training" section; expected the model card finer export writes`);
  const end = card.indexOf('\n', heading + TRAINING.length);
  if (end < 0) throw new FinerError(`${where}: nothing after "## Training"; expected the model card finer export writes`);
  return `${card.slice(0, end)}\n\n${paragraph}${card.slice(end)}`;
}

export async function addCalibrationToCard(model: string, exported: string): Promise<void> {
  const source = join(model, CALIBRATION_FILE);
  const report = (await readJsonFile(source, 'calibration report (lab calibrate)')) as CalibrationReport;
  const readme = join(exported, 'README.md');
  const card = await readFile(readme, 'utf8').catch(() => {
    throw new FinerError(`${readme}: cannot be read; expected the folder finer export wrote from ${model}`);
  });
  if (card.includes('Calibrated by `lab calibrate`')) throw new FinerError(`${readme}: already has a calibration note`);
  const withNote = withParagraph(card, calibrationParagraph(report), readme);
  await writeFileAtomic(join(exported, CALIBRATION_FILE), await readFile(source));
  await writeFileAtomic(readme, withNote);
}

export function registerCalibrateCard(program: Command): void {
  program
    .command('calibrate-card')
    .description('after finer export of a lab calibrate copy: copy its calibration.json into the exported folder and say in the card (README.md) what the calibration did')
    .requiredOption('--model <dir>', 'the lab calibrate copy (with calibration.json)')
    .requiredOption('--export <dir>', 'the folder finer export wrote from it')
    .action(
      action(async (o: { model: string; export: string }) => {
        await addCalibrationToCard(o.model, o.export);
        process.stdout.write(`wrote ${join(o.export, CALIBRATION_FILE)} and the calibration note in ${join(o.export, 'README.md')}\n`);
      }),
    );
}
