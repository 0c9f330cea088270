/** The ablation as a Markdown table, for the README and the note. */
import { CARRIED_MARK, carriedSources, fineTuneText, pctOrDash, pretrainingText, type AblationReport } from '@finer-lens/core/reports/ablation.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The most missing files a footnote names; ablation.json lists them all, per row. */
const NAMED_FILES = 4;

/** A footnote per earlier report that rows were carried from: where, when, and the files that were gone. */
const carriedNotes = (report: AblationReport): string[] =>
  carriedSources(report).map((c) => {
    const more = c.missing.length - NAMED_FILES;
    const files = more > 1 ? `${c.missing.slice(0, NAMED_FILES).join(', ')} and ${more} more` : c.missing.join(', ');
    return `${CARRIED_MARK} figures carried from ${c.from} (${c.date.slice(0, 10)}): the run files are not kept (${files})`;
  });

export function ablationMarkdown(report: AblationReport): string {
  const head = [
    'Model', 'Group', 'Params', 'Pretraining', 'Fine-tune', ...report.types.map((t) => `${displayNameOf(t)} F1`),
    'Test micro F1', 'FiNER sample F1', '139-tag val F1', 'Node sub-tokens/s', 'Note',
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 5 && i < head.length - 1 ? '---:' : '---')).join(' | ')} |`,
    ...report.rows.map((r) => {
      const cells = [
        r.carried ? `${r.name} ${CARRIED_MARK}` : r.name, r.group, r.params ?? '', pretrainingText(r), fineTuneText(r),
        ...report.types.map((t) => pctOrDash(r.test?.perTypeF1[t])),
        pctOrDash(r.test?.microF1),
        pctOrDash(r.finerSample?.microF1),
        pctOrDash(r.stage139?.validationF1),
        r.nodeSubTokensPerSecond !== undefined ? Math.round(r.nodeSubTokensPerSecond).toLocaleString('en-US') : '–',
        r.note ?? '',
      ];
      return `| ${cells.map(cell).join(' | ')} |`;
    }),
  ];
  const notes = carriedNotes(report);
  return [
    `Test: entity micro F1 (seqeval) on the test split; FiNER sample: labelled-token micro F1 on FiNER-139's sparse-gold sample; ` +
      `139-tag val: the best entity micro F1 on the validation split of the model's 139-tag stage (its train.json). F1 in %; – where the row has none.`,
    '',
    ...lines,
    '',
    ...notes.flatMap((n) => [n, '']), // a paragraph each
  ].join('\n');
}
