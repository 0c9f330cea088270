/** The ablation as a Markdown table, for the README and the note. */
import { fineTuneText, pct, pretrainingText, type AblationReport } from '../../../src/reports/ablation.ts';
import { displayNameOf } from '../../../src/app/tags.ts';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function ablationMarkdown(report: AblationReport): string {
  const head = ['Model', 'Group', 'Params', 'Pretraining', 'Fine-tune', ...report.types.map((t) => `${displayNameOf(t)} F1`), 'Test micro F1', 'FiNER sample F1', 'Node sub-tokens/s', 'Note'];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 5 && i < head.length - 1 ? '---:' : '---')).join(' | ')} |`,
    ...report.rows.map((r) => {
      const cells = [
        r.name, r.group, r.params ?? '', pretrainingText(r), fineTuneText(r),
        ...report.types.map((t) => pct(r.test.perTypeF1[t]!)),
        pct(r.test.microF1),
        r.finerSample ? pct(r.finerSample.microF1) : '–',
        r.nodeSubTokensPerSecond !== undefined ? Math.round(r.nodeSubTokensPerSecond).toLocaleString('en-US') : '–',
        r.note ?? '',
      ];
      return `| ${cells.map(cell).join(' | ')} |`;
    }),
  ];
  return [
    `Test: entity micro F1 (seqeval) on the test split; FiNER sample: labelled-token micro F1 on FiNER-139's sparse-gold sample. F1 in %.`,
    '',
    ...lines,
    '',
  ].join('\n');
}
