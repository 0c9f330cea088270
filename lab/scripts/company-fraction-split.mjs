// The labelled-data learning curve of the README (Model quality, sixth
// session): from data/finer4-neg2, keep the train sentences (targets and
// negatives) of a seeded fraction of the train companies; validation and test
// unchanged. The companies are drawn in one seeded order, so a smaller
// fraction's companies are a subset of a larger one's. The curve of lab/RESULTS.md (2026-11):
// fractions 0.125 / 0.25 / 0.5 / 0.75 (52 / 105 / 210 / 314 of 419
// companies) with 12 / 12 / 6 / 4 epochs, about the steps of the full
// data's 3 epochs (0.125: half of them), seeds 7 and 42, e.g.
//   node lab/scripts/company-fraction-split.mjs 0.25 data/finer4-c250
//   npm run finer -- train --data data/finer4-c250 --init models/pretrained/finer-mlm-4x256 --out runs/curve/c250-s7 \
//     --epochs 12 --batch-size 32 --lr 5e-4 --warmup 300 --max-length 128 --stride 32 --threads 1 --seed 7
//   npm run finer -- evaluate --model runs/curve/c250-s7 --data data/finer4-neg2 ../shared/data/finer139-sample/finer139_train_sample.jsonl --out runs/curve/c250-s7/eval.json
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const [fractionArg, out] = process.argv.slice(2);
const fraction = Number(fractionArg);
if (!(fraction > 0 && fraction <= 1) || !out) {
  console.error('usage: node lab/scripts/company-fraction-split.mjs FRACTION OUT (FRACTION in (0, 1], e.g. 0.25 data/finer4-c250)');
  process.exit(1);
}
const from = 'data/finer4-neg2';
const read = (f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const lines = read(`${from}/train.jsonl`);
// the company: the file name before its form (the filings are named COMPANY_10-K_..., COMPANY_10-Q_...)
const company = (source) => source.replace(/_10-[KQ].*$/, '');
const companies = [...new Set(lines.map((l) => company(l.source)))].sort();
let seed = 42; // a small LCG: the order is lab/RESULTS.md's exactly
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
for (let i = companies.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [companies[i], companies[j]] = [companies[j], companies[i]];
}
const kept = new Set(companies.slice(0, Math.round(companies.length * fraction)));
const train = lines.filter((l) => kept.has(company(l.source)));
const tmp = `${out}.tmp`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
writeFileSync(`${tmp}/train.jsonl`, train.map((r) => JSON.stringify(r)).join('\n') + '\n');
for (const s of ['validation', 'test']) copyFileSync(`${from}/${s}.jsonl`, `${tmp}/${s}.jsonl`);
const info = JSON.parse(readFileSync(`${from}/dataset_info.json`, 'utf8'));
const targets = train.filter((l) => l.ner_tags.some((t) => t > 0)).length;
const entities = train.reduce((n, l) => n + l.ner_tags.filter((t) => t > 0).length, 0);
const facts = { fraction, companies: kept.size, of: companies.length, train: train.length, trainTargets: targets, trainEntities: entities };
writeFileSync(`${tmp}/dataset_info.json`, JSON.stringify({ label_names: info.label_names, description: `${from} with the train sentences of ${kept.size} of its ${companies.length} train companies (seeded order; validation and test unchanged)`, curve: facts }, null, 1));
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
console.log(JSON.stringify(facts));
