/**
 * Where a model's errors are: for each word of a predicted 4-type split
 * (`finer predict` output of a `finer ixbrl`-built folder), whether the filer
 * tagged it with any fact, and with which concept. Prints false positives by
 * type and by tagged/untagged, misses by what the model said instead, and the
 * concepts of the tagged false positives. docs/model-quality.md's "Where the errors are".
 *   npm run finer -- predict --model public/models/finer-lens-small --backend checkpoint \
 *     --input data/finer4-neg2/validation.jsonl --output runs/val.pred.jsonl
 *   npx tsx lab/scripts/analysis/false-positives.ts runs/val.pred.jsonl [../shared/data/ixbrl]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBSET_LABELS, labelType } from '@finer-lens/core/ner/labels.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';
import type { ExtractedFiling } from '@finer-lens/core/ixbrl/extract.ts';
import { FactIndex } from '../../src/concepts/label-words.ts';
import { readFiling } from '@finer-lens/training/data/ixbrl/read.ts';

interface Predicted { tokens: string[]; ner_tags: number[]; labels: string[]; source: string; start: number; end: number }

const [predFile, filings = '../shared/data/ixbrl'] = process.argv.slice(2);
if (!predFile) {
  console.error('usage: false-positives.ts PREDICTED.jsonl [FILINGS_DIR] (a finer predict output of a finer ixbrl-built split)');
  process.exit(1);
}
const lines = readFileSync(predFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Predicted);
const counts = new Map<string, number>();
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const fpConcepts = new Map<string, number>();
let current: { source: string; filing: ExtractedFiling; index: FactIndex } | undefined;
for (const l of lines) {
  if (current?.source !== l.source) {
    const { filing } = await readFiling(join(filings, l.source));
    current = { source: l.source, filing, index: new FactIndex(filing.facts) };
  }
  const words = tokenizeWords(current.filing.text.slice(l.start, l.end));
  if (words.length !== l.tokens.length) throw new Error(`${l.source} ${l.start}: words differ from the line's tokens`);
  const facts = current.index.overlapping(l.start, l.end);
  words.forEach((w, i) => {
    const gold = labelType(SUBSET_LABELS[l.ner_tags[i]!]!);
    const pred = labelType(l.labels[i] ?? 'O');
    if (gold === pred) return;
    if (gold === 'O') {
      const cover = facts.find((f) => f.start < l.start + w.end && f.end > l.start + w.start);
      bump(counts, `false positive, ${cover ? 'tagged with another concept' : 'untagged'}: ${pred}`);
      if (cover) bump(fpConcepts, cover.name);
    } else {
      bump(counts, `miss: ${gold} -> ${pred}`);
    }
  });
}
for (const [k, n] of [...counts].sort()) console.log(`${n}\t${k}`);
console.log('\nconcepts of the tagged false positives:');
for (const [k, n] of [...fpConcepts].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${n}\t${k}`);
