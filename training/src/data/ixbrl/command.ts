/** `finer ixbrl <files|dirs...> --out DIR`: build a FiNER-139 dataset from iXBRL filings. */
import type { Command } from 'commander';
import { action } from '../../util/cli.ts';
import { FinerError } from '../../util/errors.ts';
import { DEFAULT_DEDUPE_SCOPE } from './assemble.ts';
import { buildIxbrlDataset } from './build.ts';
import { formatReconciliation } from './report.ts';
import { parseSplit } from './split.ts';

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 0xffffffff) {
    throw new FinerError(`--seed ${JSON.stringify(text)}: expected a whole number from 0 to 4294967295`);
  }
  return Number(text);
}

export function registerIxbrl(program: Command): void {
  program
    .command('ixbrl')
    .description('build a FiNER-139 dataset (train/validation/test JSONL) from inline-XBRL 10-K/10-Q filings')
    .argument('<inputs...>', '.htm, .html or .htm.gz files, or folders scanned for them')
    .requiredOption('--out <dir>', 'output dataset folder (replaced atomically)')
    .option('--seed <n>', 'seed of the company shuffle for the splits', '42')
    .option('--split <train/validation/test>', 'share of companies per split', '80/10/10')
    .option('--dedupe <scope>', "drop exact duplicate sentences only within each 'filing' (a company's repeats in its other filings stay, never across splits) or within each 'split'", DEFAULT_DEDUPE_SCOPE)
    .option('--all-sentences', 'keep every prose sentence with a letter, not only those holding a FiNER-139 tag', false)
    .option('--force', 'replace an existing --out folder that is not a finer ixbrl output')
    .action(
      action(async (inputs: string[], opts: { out: string; seed: string; split: string; dedupe: string; allSentences: boolean; force?: boolean }) => {
        if (opts.dedupe !== 'split' && opts.dedupe !== 'filing') {
          throw new FinerError(`--dedupe ${JSON.stringify(opts.dedupe)}: expected split or filing`);
        }
        const summary = await buildIxbrlDataset(inputs, {
          out: opts.out,
          seed: parseSeed(opts.seed),
          split: parseSplit(opts.split),
          allSentences: opts.allSentences,
          dedupe: opts.dedupe,
          force: opts.force,
          onWarning: (message) => process.stderr.write(`finer: warning: ${message}\n`),
        });
        const { sentences: s, companies: c } = summary;
        process.stdout.write(
          `${opts.out}: ${summary.files} filing(s)` +
            (summary.skipped.length > 0 ? ` (${summary.skipped.length} skipped)` : '') +
            `; sentences train ${s.train}, validation ${s.validation}, test ${s.test}; ` +
            `companies train ${c.train}, validation ${c.validation}, test ${c.test}\n` +
            formatReconciliation(summary.reconciliation) +
            '\n',
        );
      }),
    );
}
