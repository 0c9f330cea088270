/** Write the dataset files into a (temporary) folder: JSONL splits from the spill files, and dataset_info.json. */
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { DEFAULT_DEDUPE_SCOPE, type Assembly, type DedupeScope, type KeptSentence } from './assemble.ts';
import { TARGET_TAGS, tagAt, type FilingRecord } from './filing.ts';
import type { Reconciliation } from './report.ts';
import { SPLITS, type SplitName, type SplitRatios } from './split.ts';

interface WriteInput {
  assembly: Assembly;
  reconciliation: Reconciliation;
  filings: readonly FilingRecord[];
  skipped: readonly { path: string; reason: string }[];
  options: { seed: number; split: SplitRatios; allSentences: boolean; dedupe?: DedupeScope };
}

/** Offsets note written into dataset_info.json, so the files explain themselves. */
const OFFSETS_NOTE =
  'start/end: UTF-16 offsets of the sentence in the extracted prose text of the filing named by source: ' +
  'the visible text outside tables, ix:header and display:none parts, one block-level run per line (runs joined by "\\n"), ' +
  'entities decoded and every whitespace sequence (NBSP included) collapsed to one space; ' +
  'extractIxbrl(html).text.slice(start, end) in core/src/ixbrl/extract.ts gives the sentence.';

/** What the optional `repeats` field of a line means. */
const REPEATS_NOTE =
  'repeats (only where there are some): [word index, subset id 1..4] of each unlabelled word whose number equals the displayed value of a fact of one of the four target tags ' +
  'anywhere in the same filing (prose, tables or hidden; core/src/ixbrl/repeats.ts): an untagged repeat of a target figure, which may be an entity the filer did not tag again.';

/** Write the kept sentences, in order, taking each line from its filing's spill file. */
async function writeJsonl(path: string, sentences: readonly KeptSentence[]): Promise<void> {
  const out = createWriteStream(path);
  const closed = once(out, 'close');
  try {
    let filing: FilingRecord | undefined;
    let lines: string[] = [];
    for (const [i, kept] of sentences.entries()) {
      if (kept.filing !== filing) {
        filing = kept.filing;
        lines = (await readFile(filing.spill, 'utf8')).split('\n');
      }
      if (!out.write(`{"id":"${i}",${lines[kept.index]}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
  }
  await closed;
}

function labelCounts(sentences: readonly KeptSentence[]): Record<string, number> {
  const counts = new Array<number>(FINER139_LABELS.length).fill(0);
  for (const { sentence } of sentences) for (let i = 0; i < sentence.words; i++) counts[tagAt(sentence, i)]++;
  return Object.fromEntries(FINER139_LABELS.map((name, id) => [name, counts[id]]));
}

function provenance(sentences: readonly KeptSentence[]): { files: string[]; sentence_file: number[] } {
  const files: string[] = [];
  const index = new Map<FilingRecord, number>();
  const sentenceFile = sentences.map(({ filing }) => {
    let i = index.get(filing);
    if (i === undefined) {
      i = files.push(filing.source) - 1;
      index.set(filing, i);
    }
    return i;
  });
  return { files, sentence_file: sentenceFile };
}

export async function writeDataset(dir: string, input: WriteInput): Promise<void> {
  const { assembly, reconciliation, filings, skipped, options } = input;
  const splitInfo = (split: SplitName) => {
    const inSplit = filings.filter((f) => assembly.filingSplit.get(f) === split);
    return {
      sentences: assembly.splits[split].length,
      companies: [...new Set(inSplit.map((f) => f.company))].sort(),
      files: inSplit.map((f) => f.source).sort(),
      label_counts: labelCounts(assembly.splits[split]),
    };
  };
  const info = {
    schema: 1,
    builder: 'finer ixbrl',
    options: { seed: options.seed, split: options.split, all_sentences: options.allSentences, split_by: 'company', dedupe: options.dedupe ?? DEFAULT_DEDUPE_SCOPE },
    offsets: OFFSETS_NOTE,
    repeats: REPEATS_NOTE,
    label_names: FINER139_LABELS,
    splits: Object.fromEntries(SPLITS.map((s) => [s, splitInfo(s)])),
    provenance: Object.fromEntries(SPLITS.map((s) => [s, provenance(assembly.splits[s])])),
    reconciliation: {
      ...reconciliation,
      filings: filings.map((f) => ({
        source: f.source,
        company: f.company,
        split: assembly.filingSplit.get(f),
        facts: Object.fromEntries(TARGET_TAGS.map((tag, t) => [tag, f.places[t]])),
      })),
    },
    skipped,
  };
  for (const split of SPLITS) await writeJsonl(join(dir, `${split}.jsonl`), assembly.splits[split]);
  await writeFile(join(dir, 'dataset_info.json'), JSON.stringify(info, null, 1) + '\n');
}

