// The seen-company check of the README (Model quality, fifth session): from
// data/finer4-neg2, hold out one filing of about half the train companies
// that have several (seeded), so that a model trained on the rest can be
// scored on new filings of companies it has seen, beside the test split's
// companies it has never seen. Writes data/seen-split/: train.jsonl (the
// rest), validation.jsonl (unchanged), heldout.jsonl, heldout-novel.jsonl
// (held-out sentences not verbatim in train), dataset_info.json.
//   node lab/scripts/seen-companies-split.mjs
//   npm run finer -- train --data data/seen-split --init models/pretrained/finer-mlm-4x256 --out runs/seen-s7 --epochs 3 \
//     --batch-size 32 --lr 5e-4 --warmup 300 --max-length 128 --stride 32 --threads 1 --seed 7
//   npm run finer -- evaluate --model runs/seen-s7 --data data/seen-split/heldout.jsonl data/seen-split/heldout-novel.jsonl data/finer4-neg2 --out runs/seen-s7/eval.json
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const read = (f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const lines = read('data/finer4-neg2/train.jsonl');
// the company: the file name before its form (the filings are named COMPANY_10-K_..., COMPANY_10-Q_...)
const company = (source) => source.replace(/_10-[KQ].*$/, '');
const files = new Map();
for (const l of lines) {
  const c = company(l.source);
  if (!files.has(c)) files.set(c, []);
  if (!files.get(c).includes(l.source)) files.get(c).push(l.source);
}
let seed = 42; // a small LCG: the split is the README's exactly
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
const held = new Set();
for (const [, f] of [...files].sort()) if (f.length >= 2 && random() < 0.5) held.add(f.sort()[Math.floor(random() * f.length)]);
const train = lines.filter((l) => !held.has(l.source));
const heldout = lines.filter((l) => held.has(l.source));
const inTrain = new Set(train.map((l) => JSON.stringify(l.tokens)));
const novel = heldout.filter((l) => !inTrain.has(JSON.stringify(l.tokens)));
mkdirSync('data/seen-split', { recursive: true });
const write = (f, rows) => writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
write('data/seen-split/train.jsonl', train);
copyFileSync('data/finer4-neg2/validation.jsonl', 'data/seen-split/validation.jsonl');
write('data/seen-split/heldout.jsonl', heldout);
write('data/seen-split/heldout-novel.jsonl', novel);
const info = JSON.parse(readFileSync('data/finer4-neg2/dataset_info.json', 'utf8'));
writeFileSync('data/seen-split/dataset_info.json', JSON.stringify({ label_names: info.label_names, description: 'finer4-neg2 train minus one filing of about half the multi-filing train companies (heldout.jsonl; heldout-novel.jsonl: those not verbatim in train)' }));
const targets = (rows) => rows.filter((l) => l.ner_tags.some((t) => t > 0)).length;
console.log(JSON.stringify({ heldFilings: held.size, train: train.length, trainTargets: targets(train), heldout: heldout.length, heldoutTargets: targets(heldout), novel: novel.length, novelTargets: targets(novel) }));
