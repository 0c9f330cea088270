/** `finer vocab`: learn the WordPiece vocabulary of a dataset's train split. */
import type { Command } from 'commander';
import { action } from '../util/cli.ts';
import { int } from '../util/flags.ts';
import { trainVocab } from './train-vocab.ts';

export function registerVocab(program: Command): void {
  program
    .command('vocab')
    .description('learn a cased WordPiece vocabulary from the train split of a dataset (Hugging Face tokenizer files)')
    .requiredOption('--data <dir>', 'dataset folder; only its train split is read')
    .requiredOption('--out <dir>', 'tokenizer folder: tokenizer.json, vocab.txt, tokenizer_config.json, special_tokens_map.json')
    .option('--size <n>', 'vocabulary size, the 5 specials included (at most 30000)', int('--size'), 16000)
    .option('--max-sentences <n>', 'read at most n train sentences', int('--max-sentences'))
    .option('--force', 'replace an existing --out folder that is not a finer vocab output')
    .action(
      action(async (opts: { data: string; out: string; size: number; maxSentences?: number; force?: boolean }) => {
        const r = await trainVocab(opts.data, opts.out, { size: opts.size, maxSentences: opts.maxSentences, force: opts.force });
        process.stdout.write(JSON.stringify({ vocab: opts.out, ...r }) + '\n');
      }),
    );
}
