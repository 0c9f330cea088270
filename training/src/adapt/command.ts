/** `finer adapt <filings...> --model DIR --out DIR`: a model adapted to a company by its earlier filings' own tags. */
import type { Command } from 'commander';
import { action } from '../util/cli.ts';
import { int, num, positiveInt } from '../util/flags.ts';
import { ADAPT_DEFAULTS, ADAPT_TRAIN_CONFIG, adaptModel, type AdaptOptions } from './adapt.ts';

/** The flags, as commander parses them: adaptModel's options, with the fine-tune's fields it lets the user change. */
type Flags = Omit<AdaptOptions, 'train' | 'onWarning'> & { epochs: number; batchSize: number; lr: number; warmup: number; seed: number; maxLength: number; threads?: number };

export function registerAdapt(program: Command): void {
  program
    .command('adapt')
    .description("fine-tune a trained model a little further on a company's earlier iXBRL filings (the filer's own tags), for its next filings")
    .argument('<filings...>', "the company's earlier .htm, .html or .htm.gz filings, or folders holding them")
    .requiredOption('--model <dir>', 'the model to adapt: a finer train run or an exported folder (config.json, model.safetensors, vocab.txt)')
    .requiredOption('--out <dir>', 'new run folder for the adapted model (finer evaluate, predict and export take it)')
    .option('--epochs <n>', 'passes over the filings\' sentences', int('--epochs'), ADAPT_TRAIN_CONFIG.epochs)
    .option('--batch-size <n>', 'sentences per step', positiveInt('--batch-size'), ADAPT_TRAIN_CONFIG.batchSize)
    .option('--lr <x>', 'peak learning rate', num('--lr'), ADAPT_TRAIN_CONFIG.lr)
    .option('--warmup <n>', 'linear warm-up steps', int('--warmup'), ADAPT_TRAIN_CONFIG.warmupSteps)
    .option('--negatives <r>', 'sentences with only other FiNER-139 tags per target sentence', num('--negatives'), ADAPT_DEFAULTS.negatives)
    .option('--replay <dir>', "a 4-entity dataset (finer subset, e.g. data/finer4-neg2) whose train sentences are mixed in, so the model keeps what it knew of other filers")
    .option('--replay-ratio <r>', 'replayed sentences per sentence of the company', num('--replay-ratio'), ADAPT_DEFAULTS.replayRatio)
    .option('--seed <n>', 'seed of the negatives, shuffling and dropout', int('--seed'), ADAPT_TRAIN_CONFIG.seed)
    .option('--max-length <n>', 'sub-tokens per window', int('--max-length'), ADAPT_TRAIN_CONFIG.maxLength)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .action(
      action(async (filings: string[], f: Flags) => {
        const train = { ...ADAPT_TRAIN_CONFIG, epochs: f.epochs, batchSize: f.batchSize, lr: f.lr, warmupSteps: f.warmup, seed: f.seed, maxLength: f.maxLength, threads: f.threads };
        const r = await adaptModel(filings, {
          model: f.model, out: f.out, negatives: f.negatives, replay: f.replay, replayRatio: f.replayRatio, train,
          onWarning: (m) => process.stderr.write(`finer: warning: ${m}\n`),
        });
        const entities = Object.entries(r.entities).map(([t, n]) => `${t} ${n}`).join(', ');
        process.stdout.write(
          `${f.out}: ${f.model} adapted to ${r.filings.length} filing(s): ${r.sentences.targets} target sentences (${entities}) and ${r.sentences.negatives} negatives` +
            (r.replay !== undefined ? `, with ${r.sentences.replayed} sentences of ${r.replay}` : '') +
            `, ${f.epochs} epochs\n`,
        );
      }),
    );
}
