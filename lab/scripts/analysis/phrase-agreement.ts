/**
 * How often the filers agree on the concept of a number in a given phrasing:
 * for each phrase (words, `X` the number, `*` any word, `a|b` either), the
 * share of each label at X over the train split of a `lab concepts` folder.
 * docs/model-quality.md's "Where the errors are" figures.
 *   npx tsx lab/scripts/analysis/phrase-agreement.ts [data/concepts300]
 */
import { labelType } from '@finer-lens/core/ner/labels.ts';
import { openDatasetFolder, readSplit } from '@finer-lens/training/data/dataset-folder.ts';

const PHRASES = [
  '$ X * aggregate principal amount',
  'principal amount of $ X',
  'issued $ X',
  'loan of $ X',
  'principal balance of $ X',
  'bear|bears|bearing interest at X %',
  'borrowing capacity of $ X',
];

/** Does `phrase` (split in words) match `tokens` with its X at position i? */
function matchesAt(words: readonly string[], tokens: readonly string[], i: number): boolean {
  const x = words.indexOf('X');
  return words.every((w, k) => {
    const t = tokens[i - x + k]?.toLowerCase();
    return t !== undefined && (w === 'X' || w === '*' || w.toLowerCase().split('|').includes(t));
  });
}

const folder = await openDatasetFolder(process.argv[2] ?? 'data/concepts300');
const train = folder.splits.find((s) => s.name === 'train');
if (!train) {
  console.error(`${folder.dir}: no train split; expected a finer concepts folder`);
  process.exit(1);
}
const phrases = PHRASES.map((p) => ({ phrase: p, words: p.split(' '), counts: new Map<string, number>() }));
for await (const s of readSplit(folder, train)) {
  for (let i = 0; i < s.tokens.length; i++) {
    for (const p of phrases) {
      if (!matchesAt(p.words, s.tokens, i)) continue;
      const label = labelType(folder.labelNames[s.ner_tags[i]!]!);
      p.counts.set(label, (p.counts.get(label) ?? 0) + 1);
    }
  }
}
for (const { phrase, counts } of phrases) {
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  const shares = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([label, c]) => `${label} ${((100 * c) / n).toFixed(0)}%`);
  console.log(`${phrase} (n=${n}): ${shares.join(', ')}`);
}
