/**
 * Reconciliation report: for each target tag, where its facts stand in the
 * filings (prose / table / hidden, which add up to every `ix:nonFraction` of
 * the tag) and what became of the prose ones. A prose fact is lost when no
 * sentence of the dataset carries its label on its words.
 */
import { TARGET_B_IDS, TARGET_TAGS, type FilingRecord } from './filing.ts';
import type { Assembly } from './assemble.ts';
import { SPLITS, type SplitName } from './split.ts';

export interface TagReconciliation {
  tag: string;
  finer_id: number;
  facts: { prose: number; table: number; hidden: number; total: number };
  /** Prose facts whose words got the tag in some sentence. */
  labelled: number;
  /** Of those: in a written sentence. */
  written: number;
  /** Dropped with their sentence, an identical labelled copy kept in the same split. */
  duplicate: number;
  /** Dropped from validation/test with their sentence, an identical labelled copy in train. */
  in_train: number;
  /** Prose facts that no written sentence carries, by reason. */
  lost: {
    /** The fact's text is empty or whitespace: no word lies inside it. */
    no_token: number;
    /** Every word inside it already carries another fact's tag. */
    token_taken: number;
    /** Its sentence was a duplicate of a kept one with the same words but other labels. */
    label_conflict: number;
  };
  lost_total: number;
  /** lost_total / prose facts, in percent. */
  lost_pct: number;
  /** Written sentences holding at least one fact of the tag (a B- label), per split. */
  sentences: Record<SplitName, number>;
}

export interface Reconciliation {
  targets: TagReconciliation[];
  /** Written sentences holding at least one of the four target tags, per split and in all. */
  target_sentences: Record<SplitName | 'total', number>;
  dropped_sentences: Assembly['dropped'];
}

export function reconcile(filings: readonly FilingRecord[], assembly: Assembly): Reconciliation {
  const targetSentences = { train: 0, validation: 0, test: 0, total: 0 };
  const perTag = TARGET_TAGS.map((): Record<SplitName, number> => ({ train: 0, validation: 0, test: 0 }));
  for (const split of SPLITS) {
    for (const { sentence } of assembly.splits[split]) {
      let any = false;
      TARGET_B_IDS.forEach((id, t) => {
        if (sentence.tags !== '' && sentence.tags.includes(String.fromCharCode(id))) {
          perTag[t][split]++;
          any = true;
        }
      });
      if (any) {
        targetSentences[split]++;
        targetSentences.total++;
      }
    }
  }
  const targets = TARGET_TAGS.map((tag, t): TagReconciliation => {
    const facts = { prose: 0, table: 0, hidden: 0, total: 0 };
    const labeller = { labelled: 0, no_token: 0, token_taken: 0 };
    for (const f of filings) {
      facts.prose += f.places[t].prose;
      facts.table += f.places[t].table;
      facts.hidden += f.places[t].hidden;
      labeller.labelled += f.fates[t].labelled;
      labeller.no_token += f.fates[t].no_token;
      labeller.token_taken += f.fates[t].token_taken;
    }
    facts.total = facts.prose + facts.table + facts.hidden;
    const a = assembly.fates[t];
    const lost = { no_token: labeller.no_token, token_taken: labeller.token_taken, label_conflict: a.label_conflict };
    const lostTotal = lost.no_token + lost.token_taken + lost.label_conflict;
    return {
      tag,
      finer_id: TARGET_B_IDS[t],
      facts,
      labelled: labeller.labelled,
      written: a.written,
      duplicate: a.duplicate,
      in_train: a.in_train,
      lost,
      lost_total: lostTotal,
      lost_pct: facts.prose === 0 ? 0 : Math.round((10000 * lostTotal) / facts.prose) / 100,
      sentences: perTag[t],
    };
  });
  return { targets, target_sentences: targetSentences, dropped_sentences: assembly.dropped };
}

/** The report as a short fixed-width table for the terminal. */
export function formatReconciliation(r: Reconciliation): string {
  const head = ['tag', 'prose', 'table', 'hidden', 'labelled', 'written', 'dup', 'in_train', 'lost', 'lost%', 'sent tr/va/te'];
  const rows = r.targets.map((t) => [
    t.tag,
    t.facts.prose,
    t.facts.table,
    t.facts.hidden,
    t.labelled,
    t.written,
    t.duplicate,
    t.in_train,
    `${t.lost_total} (${t.lost.no_token}/${t.lost.token_taken}/${t.lost.label_conflict})`,
    t.lost_pct.toFixed(2),
    `${t.sentences.train}/${t.sentences.validation}/${t.sentences.test}`,
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const s = r.target_sentences;
  const d = r.dropped_sentences;
  return [
    line(head),
    ...rows.map(line),
    'lost = no token / token taken by another fact / duplicate sentence with other labels',
    `sentences with a target tag: ${s.total} (train ${s.train}, validation ${s.validation}, test ${s.test}); ` +
      `dropped as duplicates: train ${d.duplicate.train}, validation ${d.duplicate.validation}, test ${d.duplicate.test}; ` +
      `dropped as seen in train: validation ${d.inTrain.validation}, test ${d.inTrain.test}`,
  ].join('\n');
}
