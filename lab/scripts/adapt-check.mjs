// The adaptation check of the README (finer adapt): for each of the 30 test
// companies with several filings (data/seen-test/moved.json, written by
// lab/scripts/seen-test-companies-split.mjs), adapt MODEL to the filing
// moved there, with `finer adapt` and its defaults, and score the adapted model
// and MODEL itself on the company's other filings (all their sentences of
// data/seen-test/heldout.jsonl, and those not verbatim among the adapted
// filing's tagged sentences). Counts are pooled over the companies, so the
// F1 are those of one evaluation of all the held-out sentences. A company
// whose moved filing holds no target sentence has nothing to adapt to: its
// "adapted" model is MODEL (summary.json lists them).
//   node lab/scripts/seen-test-companies-split.mjs
//   node lab/scripts/adapt-check.mjs public/models/finer-lens-small runs/adapt-check [FILINGS] [WORKERS] [finer adapt flags...]
//   (e.g. ... ../shared/data/ixbrl 2 --replay data/finer4-neg2)
// Writes OUT/<n>/ (the adapted model, its evaluations) and OUT/summary.json; a rerun skips the companies done.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [model, out, filings = '../shared/data/ixbrl', workersArg = '2', ...adaptFlags] = process.argv.slice(2);
if (!model || !out) {
  console.error('usage: node lab/scripts/adapt-check.mjs MODEL OUT [FILINGS] [WORKERS] [finer adapt flags...]');
  process.exit(1);
}
const read = (f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const moved = JSON.parse(readFileSync('data/seen-test/moved.json', 'utf8'));
const heldout = read('data/seen-test/heldout.jsonl');
// every tagged sentence of the moved filings (FiNER-139 tags), for the verbatim check
const tagged = existsSync('data/ixbrl139/test.jsonl') ? read('data/ixbrl139/test.jsonl') : [];
const finer = (args, log) =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'finer', '--', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      writeFileSync(log, err, { flag: 'a' });
      code === 0 ? resolve() : reject(new Error(`finer ${args[0]} failed (${log}): ${err.trim().split('\n').at(-1)}`));
    });
  });
const writeJsonl = (f, rows) => writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

async function company(i, name, { moved: filing, heldout: files }) {
  const dir = join(out, String(i).padStart(2, '0'));
  if (existsSync(join(dir, 'done'))) return;
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'log');
  const seen = new Set(tagged.filter((l) => l.source === filing).map((l) => JSON.stringify(l.tokens)));
  const held = heldout.filter((l) => files.includes(l.source));
  writeJsonl(join(dir, 'heldout.jsonl'), held);
  const novel = held.filter((l) => !seen.has(JSON.stringify(l.tokens)));
  writeJsonl(join(dir, 'novel.jsonl'), novel);
  // a filing without a target sentence leaves nothing to adapt to: the user keeps the model as it is
  let adapted = join(dir, 'model');
  if (existsSync(join(dir, 'nothing'))) adapted = model;
  else if (!existsSync(join(adapted, 'model.safetensors'))) {
    try {
      await finer(['adapt', join(filings, filing), '--model', model, '--out', adapted, '--threads', '1', ...adaptFlags], log);
    } catch (err) {
      if (!/nothing to adapt the model to/.test(err.message)) throw err;
      writeFileSync(join(dir, 'nothing'), `${filing}\n`);
      adapted = model;
    }
  }
  for (const [m, tag] of [[adapted, 'adapted'], [model, 'base']]) {
    await finer(['evaluate', '--model', m, '--data', join(dir, 'heldout.jsonl'), ...(novel.length ? [join(dir, 'novel.jsonl')] : []), '--out', join(dir, `${tag}.json`)], log);
  }
  writeFileSync(join(dir, 'done'), `${name}\n`);
  console.error(`${i} ${name}`);
}

const entries = Object.entries(moved);
let next = 0;
await Promise.all(Array.from({ length: Number(workersArg) }, async () => {
  while (next < entries.length) {
    const i = next++;
    await company(i, ...entries[i]);
  }
}));

// pooled counts per data set (heldout, heldout novel) and type
function pool(tag) {
  const sums = {};
  for (let i = 0; i < entries.length; i++) {
    const report = JSON.parse(readFileSync(join(out, String(i).padStart(2, '0'), `${tag}.json`), 'utf8'));
    report.datasets.forEach((d, k) => {
      const set = (sums[k === 0 ? 'heldout' : 'novel'] ??= {});
      for (const [t, s] of Object.entries(d.metrics.perType)) {
        const c = (set[t] ??= { tp: 0, fp: 0, fn: 0 });
        c.tp += s.tp; c.fp += s.fp; c.fn += s.fn;
      }
    });
  }
  const f1 = (c) => (c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn));
  return Object.fromEntries(Object.entries(sums).map(([set, types]) => {
    const all = Object.values(types).reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
    return [set, { microF1: f1(all), ...all, perTypeF1: Object.fromEntries(Object.entries(types).map(([t, c]) => [t, f1(c)])) }];
  }));
}
const notAdapted = entries.filter((_, i) => existsSync(join(out, String(i).padStart(2, '0'), 'nothing'))).map(([name]) => name);
const summary = { model, adaptFlags, companies: entries.length, notAdapted, base: pool('base'), adapted: pool('adapted') };
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
console.log(JSON.stringify(summary, null, 1));
