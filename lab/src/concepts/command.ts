/** `lab concepts DIR --filings DIR --out DIR`: the XBRL-concept dataset (see build.ts). */
import type { Command } from 'commander';
import { action } from '@finer-lens/training/util/cli.ts';
import { int } from '@finer-lens/training/util/flags.ts';
import { buildConceptDataset } from './build.ts';

export function registerConcepts(program: Command): void {
  program
    .command('concepts')
    .description('relabel a finer ixbrl dataset folder with the XBRL concept of every tagged number (a larger domain task before the 4 types)')
    .argument('<dir>', 'dataset folder built by finer ixbrl (usually --all-sentences)')
    .requiredOption('--filings <dir>', 'the folder of filings it was built from (its lines name them in "source")')
    .requiredOption('--out <dir>', 'output dataset folder (replaced atomically)')
    .option('--top <n>', 'us-gaap concepts with labels of their own, most frequent in train first (the 4 entity types always)', int('--top'), 300)
    .option('--min-count <n>', 'train facts a concept needs for a label of its own', int('--min-count'), 20)
    .option('--force', 'replace an existing --out folder that is not a lab concepts output')
    .action(
      action(async (dir: string, opts: { filings: string; out: string; top: number; minCount: number; force?: boolean }) => {
        const summary = await buildConceptDataset(dir, opts.filings, opts.out, {
          top: opts.top,
          minCount: opts.minCount,
          force: opts.force,
          onFiling: (split, n) => {
            if (n % 50 === 0) process.stderr.write(`lab concepts: ${split}: ${n} filings read\n`);
          },
        });
        const splits = Object.entries(summary.splits)
          .map(([name, c]) => `${name} ${c.sentences} sentences (${c.facts} facts: ${c.otherFacts} OtherFact, ${c.extensionFacts} ExtensionFact)`)
          .join('; ');
        process.stdout.write(`${opts.out}: ${summary.concepts.length} concepts + OtherFact + ExtensionFact, ${summary.labelNames.length} labels; ${splits}\n`);
      }),
    );
}
