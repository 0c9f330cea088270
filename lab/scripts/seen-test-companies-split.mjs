// The paired seen-company check of lab/RESULTS.md (2026-11):
// from data/finer4-neg2, move one filing (seeded) of every test company that
// has several into train; the test company's other filings are
// heldout.jsonl (and heldout-novel.jsonl: those sentences not verbatim in the
// new train). A model fine-tuned on this train and the shipped recipe's
// models (trained without any test company) are then scored on the very same
// held-out sentences, so the difference is what having labelled one filing of
// a company buys on its next ones. Unlike lab/scripts/seen-companies-split.mjs
// the held-out text was never read by the pretrained encoder either (the
// encoder read train-company prose only).
//   node lab/scripts/seen-test-companies-split.mjs
//   npm run finer -- train --data data/seen-test --init models/pretrained/finer-mlm-4x256 --out runs/seen-test-s7 --epochs 3 \
//     --batch-size 32 --lr 5e-4 --warmup 300 --max-length 128 --stride 32 --threads 1 --seed 7
//   npm run finer -- evaluate --model runs/seen-test-s7 --data data/seen-test/heldout.jsonl data/seen-test/heldout-novel.jsonl --out runs/seen-test-s7/heldout.json
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const from = 'data/finer4-neg2';
const out = 'data/seen-test';
const read = (f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const train = read(`${from}/train.jsonl`);
const test = read(`${from}/test.jsonl`);
// the company: the file name before its form (the filings are named COMPANY_10-K_..., COMPANY_10-Q_...)
const company = (source) => source.replace(/_10-[KQ].*$/, '');
const files = new Map();
for (const l of test) {
  const c = company(l.source);
  if (!files.has(c)) files.set(c, new Set());
  files.get(c).add(l.source);
}
let seed = 42; // a small LCG: the split is lab/RESULTS.md's exactly
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
const moved = new Set();
const several = new Set();
for (const [c, f] of [...files].sort()) {
  if (f.size < 2) continue;
  several.add(c);
  const sorted = [...f].sort();
  moved.add(sorted[Math.floor(random() * sorted.length)]);
}
const added = test.filter((l) => moved.has(l.source));
const heldout = test.filter((l) => several.has(company(l.source)) && !moved.has(l.source));
const newTrain = [...train, ...added];
const inTrain = new Set(newTrain.map((l) => JSON.stringify(l.tokens)));
const novel = heldout.filter((l) => !inTrain.has(JSON.stringify(l.tokens)));
const tmp = `${out}.tmp`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const write = (f, rows) => writeFileSync(`${tmp}/${f}`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
write('train.jsonl', newTrain);
copyFileSync(`${from}/validation.jsonl`, `${tmp}/validation.jsonl`);
write('heldout.jsonl', heldout);
write('heldout-novel.jsonl', novel);
const info = JSON.parse(readFileSync(`${from}/dataset_info.json`, 'utf8'));
const targets = (rows) => rows.filter((l) => l.ner_tags.some((t) => t > 0)).length;
const facts = { companies: several.size, movedFilings: moved.size, added: added.length, addedTargets: targets(added), heldout: heldout.length, heldoutTargets: targets(heldout), novel: novel.length, novelTargets: targets(novel) };
// which filing of each company was moved, and which stayed out: lab/scripts/adapt-check.mjs adapts to the one and scores the others
writeFileSync(`${tmp}/moved.json`, JSON.stringify(Object.fromEntries([...several].sort().map((c) => [c, { moved: [...files.get(c)].find((f) => moved.has(f)), heldout: [...files.get(c)].filter((f) => !moved.has(f)).sort() }])), null, 1) + '\n');
writeFileSync(`${tmp}/dataset_info.json`, JSON.stringify({ label_names: info.label_names, description: `${from} train plus one filing of each of the ${several.size} test companies with several; heldout.jsonl: their other filings (heldout-novel.jsonl: those sentences not verbatim in train)`, seen_test: facts }, null, 1));
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
console.log(JSON.stringify(facts));
