/** `lab ablation --runs manifest.json` -> ablation.json, the F1-vs-pretraining SVG (and the F1-vs-labelled-data SVG, when rows have `labelled`), and a Markdown table. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '@finer-lens/training/util/atomic.ts';
import { action } from '@finer-lens/training/util/cli.ts';
import { buildAblation } from './ablation.ts';
import { readKept, writeKept } from './keep.ts';
import { ablationMarkdown } from './markdown.ts';
import { ablationPlot, labelledPlot, labelledPoints, plotPoints } from './plot.ts';

interface Options {
  runs: string;
  out: string;
  plot: string;
  labelledPlot: string;
  markdown?: string;
  previous?: string;
  keep?: string;
}

export function registerAblation(program: Command): void {
  program
    .command('ablation')
    .description('the model-quality ablation: one row per run (pretraining.json, train.json, eval.json, the 139-tag stage\'s train.json) -> report, F1-vs-pretraining plot, Markdown table')
    .requiredOption(
      '--runs <manifest>',
      'manifest JSON {"rows": [{name, group, eval, encoder?, train?, stage139?, series?, note?, params?, fineTune?, nodeSubTokensPerSecond?, inPlot?, labelled?: {companies, targetSentences}}]}; ' +
        'paths relative to it; eval may be left out in a row with stage139 (the 139-tag stage alone)',
    )
    .option('--out <file>', 'report file', 'public/reports/ablation.json')
    .option('--plot <file>', 'SVG of micro F1 against pretraining sub-tokens', 'public/reports/f1-vs-pretraining.svg')
    .option('--labelled-plot <file>', 'SVG of micro F1 against labelled train companies (rows with "labelled"; not written when there are none)', 'public/reports/f1-vs-labelled.svg')
    .option('--markdown <file>', 'also write the table as Markdown')
    .option('--previous <ablation.json>', "earlier report: a row whose files are missing is carried from its row of the same name (default: the --out file, if it exists)")
    .option('--keep <dir>', 'copy the eval.json, train.json and stage139 train.json (as stage139.train.json) of each row built from files to <dir>/<slug of the row name>/')
    .action(
      action(async (o: Options) => {
        const previous = o.previous ?? (existsSync(o.out) ? o.out : undefined);
        const report = await buildAblation(o.runs, { previous });
        // Everything is built (and every kept file read) before anything is written: a bad row leaves the old files as they were.
        const svg = await ablationPlot(report);
        const labelledSvg = await labelledPlot(report);
        const markdown = ablationMarkdown(report);
        const kept = o.keep ? await readKept(report, o.runs, o.keep) : [];
        await writeFileAtomic(o.out, JSON.stringify(report, null, 1) + '\n');
        await writeFileAtomic(o.plot, svg);
        if (labelledSvg !== undefined) await writeFileAtomic(o.labelledPlot, labelledSvg);
        if (o.markdown) await writeFileAtomic(o.markdown, markdown);
        const keptLines = await writeKept(kept, o.runs);
        process.stdout.write(markdown);
        const points = plotPoints(report).length;
        const labelled = labelledPoints(report).length;
        process.stdout.write(
          `wrote ${o.out} (${report.rows.length} rows), ${o.plot} (${points} points)` +
            (labelledSvg !== undefined ? `, ${o.labelledPlot} (${labelled} points)` : '') +
            `${o.markdown ? `, ${o.markdown}` : ''}\n`,
        );
        for (const line of keptLines) process.stdout.write(`${line}\n`);
        if (o.keep && keptLines.length === 0) process.stdout.write(`kept nothing in ${o.keep}: every row was carried\n`);
        report.rows.forEach((r, i) => {
          if (!r.carried) return;
          process.stderr.write(
            `lab: ${o.runs}: row ${i + 1} "${r.name}": ${r.carried.missing.join(', ')} missing; its figures are carried from ${r.carried.from} (${r.carried.date})\n`,
          );
        });
        if (points === 0) process.stderr.write('lab: no row of group "pretraining" (nor inPlot, nor on a series) to plot; the plot is empty\n');
      }),
    );
}
