import { Command } from 'commander';
import { runProgram } from '@finer-lens/training/util/cli.ts';
import { registerConcepts } from './concepts/command.ts';
import { registerGrow } from './grow/command.ts';
import { registerCalibrate } from './calibrate/command.ts';
import { registerCalibrateCard } from './calibrate/card.ts';
import { registerAverage } from './average/command.ts';
import { registerAblation } from './ablation/command.ts';
import { registerElectra } from './electra/command.ts';

/** The `lab` program: the experiments, each under the name and flags it had as a `finer` command. */
export function buildProgram(): Command {
  const program = new Command('lab')
    .description('finer-lens experiments (what each found: lab/RESULTS.md); the product commands are `finer`')
    .showHelpAfterError();

  // One line per experiment module.
  // concepts: a FiNER-style dataset tagged with the filings' own XBRL concepts (an intermediate fine-tuning stage)
  registerConcepts(program);
  // grow: a deeper encoder from a pretrained one, its layers stacked
  registerGrow(program);
  // calibrate: per-type logit offsets fitted on validation, folded into the classifier bias
  registerCalibrate(program);
  // calibrate-card: its note in the card of the folder finer export wrote from a calibrated copy
  registerCalibrateCard(program);
  // average: the weight average of several fine-tunes of one model
  registerAverage(program);
  // ablation: the model-quality table and its plots, from the runs' reports (kept in lab/ablation/)
  registerAblation(program);
  // electra: ELECTRA pretraining (replaced-token detection), finer pretrain with another objective
  registerElectra(program);
  return program;
}

/** `lab` on one command line, `argv` shaped as process.argv is (node, script, then the arguments). */
export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
