/** `finer ablation --runs manifest.json` -> ablation.json, the F1-vs-pretraining SVG, and a Markdown table. */
import type { Command } from 'commander';
import { writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { buildAblation } from './ablation.ts';
import { ablationMarkdown } from './markdown.ts';
import { ablationPlot, plotPoints } from './plot.ts';

export function registerAblation(program: Command): void {
  program
    .command('ablation')
    .description('the model-quality ablation: one row per run (pretraining.json, train.json, eval.json) -> report, F1-vs-pretraining plot, Markdown table')
    .requiredOption('--runs <manifest>', 'manifest JSON {"rows": [{name, group, eval, encoder?, train?, note?, params?, fineTune?, nodeSubTokensPerSecond?, inPlot?}]}; paths relative to it')
    .option('--out <file>', 'report file', 'public/reports/ablation.json')
    .option('--plot <file>', 'SVG of micro F1 against pretraining sub-tokens', 'public/reports/f1-vs-pretraining.svg')
    .option('--markdown <file>', 'also write the table as Markdown')
    .action(
      action(async (o: { runs: string; out: string; plot: string; markdown?: string }) => {
        const report = await buildAblation(o.runs);
        // Everything is built before anything is written: a bad row leaves the old files as they were.
        const svg = await ablationPlot(report);
        const markdown = ablationMarkdown(report);
        await writeFileAtomic(o.out, JSON.stringify(report, null, 1) + '\n');
        await writeFileAtomic(o.plot, svg);
        if (o.markdown) await writeFileAtomic(o.markdown, markdown);
        process.stdout.write(markdown);
        const points = plotPoints(report).length;
        process.stdout.write(`wrote ${o.out} (${report.rows.length} rows), ${o.plot} (${points} points)${o.markdown ? `, ${o.markdown}` : ''}\n`);
        if (points === 0) process.stderr.write('finer: no row of group "pretraining" (nor inPlot) to plot; the plot is empty\n');
      }),
    );
}
