import { Command } from 'commander';
import { runProgram } from './util/cli.ts';
import { registerIxbrl } from './data/ixbrl/command.ts';
import { registerAnalyze } from './data/analyze.ts';
import { registerDownload } from './data/download.ts';
import { registerSubset } from './data/subset.ts';
import { registerTrain } from './train/command.ts';
import { registerPretrain } from './pretrain/command.ts';
import { registerVocab } from './tokenizer/command.ts';
import { registerEvaluate } from './eval/command.ts';
import { registerThresholds } from './eval/thresholds.ts';
import { registerVerifier } from './verifier/command.ts';
import { registerExport } from './export/command.ts';
import { registerPredict } from './predict/command.ts';
import { registerCompare } from './compare/command.ts';
import { registerAdapt } from './adapt/command.ts';
import { registerRecipe } from './recipe/command.ts';

/** The `finer` program with every command; cli.ts runs it, tests run it in their own process. */
export function buildProgram(): Command {
  // Each concept registers its own sub-commands; this file only wires them up.
  const program = new Command('finer')
    .description('finer-lens training workspace: data, training, evaluation, export')
    .showHelpAfterError();

  // One line per command module, in the order of the pipeline.
  // data: FiNER-139 from the hub, its analysis, the 4-entity subset
  registerDownload(program);
  registerAnalyze(program);
  registerSubset(program);
  // iXBRL filings -> FiNER-139 dataset
  registerIxbrl(program);
  // the WordPiece vocabulary of the train split
  registerVocab(program);
  // training: DistilBERT token classifier, checkpoints, --resume, --init
  registerPretrain(program);
  registerTrain(program);
  // adapt: a trained model fine-tuned further on one company's earlier filings
  registerAdapt(program);
  // evaluation: seqeval metrics on a split, labelled-token metrics on sparse gold
  registerEvaluate(program);
  // thresholds: a score threshold per entity type, fitted on the whole-document dev set
  registerThresholds(program);
  registerVerifier(program);
  // export: the Hugging Face folder (ONNX fp32 + int8) the app and transformers.js load
  registerExport(program);
  // predict: JSONL in, JSONL out
  registerPredict(program);
  // compare: checkpoint vs ONNX fp32/int8 vs transformers.js
  registerCompare(program);
  // recipe: every step above that builds a shipped model, from a recipe file (npm run train:default)
  registerRecipe(program);
  return program;
}

/** `finer` on one command line, `argv` shaped as process.argv is (node, script, then the arguments). */
export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
