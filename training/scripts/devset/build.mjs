// Builds the whole-document dev set, training/devset/whole-doc/whole-doc.jsonl,
// from a `finer ixbrl --all-sentences` dataset (its validation split) and
// training/devset/whole-doc/decisions.json: every sentence with a digit of the
// filings decisions.json names, in document order, labelled with the filer's
// tag of the four target types, then the overrides applied.
//
//   node training/scripts/devset/build.mjs [DATA_DIR] [--check]
//
// DATA_DIR defaults to data/ixbrl-all0. It checks that every decision names an
// existing sentence and the word it expects (and, for overrides, the filer's
// label it expects), that no word has two decisions, and, where whole-doc.jsonl
// exists, that the sentences (ids, tokens, offsets) of the filings it holds are
// unchanged (filings newly added to decisions.json bring new sentences). It then
// writes whole-doc.jsonl, or with --check compares it byte for byte and exits 1
// on any difference. It prints the counts the README gives.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DECISIONS, DEFAULT_DATA, OUTPUT, readDecisions, readSentences, SHORT } from './lib.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const dataDir = args.find((a) => !a.startsWith('--')) ?? DEFAULT_DATA;

const fail = (message) => {
  console.error(`build: ${message}`);
  process.exit(1);
};

const decisions = readDecisions(DECISIONS);
const sentences = await readSentences(dataDir, decisions.filings);
const byId = new Map(sentences.map((s) => [s.id, s]));

// Every decision must point at a word that exists and is what the reviewer saw.
const seen = new Set();
const labelOf = (name, where) => {
  const id = SHORT.indexOf(name);
  if (id < 0) fail(`${where}: unknown label ${JSON.stringify(name)} (one of ${SHORT.join(', ')})`);
  return id;
};
const resolve = (d, kind) => {
  const where = `${kind} ${d.id}#${d.index}`;
  const s = byId.get(d.id);
  if (!s) fail(`${where}: no such sentence with a digit in ${dataDir}/validation.jsonl`);
  if (s.tokens[d.index] !== d.word) fail(`${where}: word is ${JSON.stringify(s.tokens[d.index])}, decisions.json says ${JSON.stringify(d.word)}`);
  if (s.filer[d.index] !== labelOf(d.filer, where)) fail(`${where}: the filer's label is ${SHORT[s.filer[d.index]]}, decisions.json says ${d.filer}`);
  if (!d.reason) fail(`${where}: no reason`);
  const key = `${d.id}#${d.index}`;
  if (seen.has(key)) fail(`${where}: decided twice`);
  seen.add(key);
  return { s, label: labelOf(d.label, where) };
};
const overrides = new Map();
for (const d of decisions.overrides) {
  const { label, s } = resolve(d, 'override');
  if (label === s.filer[d.index]) fail(`override ${d.id}#${d.index}: label equals the filer's; move it to "kept"`);
  overrides.set(`${d.id}#${d.index}`, label);
}
for (const d of decisions.kept ?? []) {
  const { label, s } = resolve(d, 'kept');
  if (label !== s.filer[d.index]) fail(`kept ${d.id}#${d.index}: label differs from the filer's; move it to "overrides"`);
}

// The sentences must be those the committed file was labelled on.
if (existsSync(OUTPUT)) {
  const old = readFileSync(OUTPUT, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const oldById = new Map(old.map((s) => [s.id, s]));
  // Filings added to decisions.json since the file was written are new; every
  // sentence of the filings already in it must be unchanged, in the same order.
  const oldSources = new Set(old.map((s) => s.source));
  const kept = sentences.filter((s) => oldSources.has(s.source));
  for (const f of oldSources) if (!decisions.filings.includes(f)) fail(`${f} is in ${OUTPUT} but not in ${DECISIONS}`);
  if (old.length !== kept.length) fail(`${kept.length} sentences of its filings now, ${old.length} in ${OUTPUT}`);
  for (const [i, s] of kept.entries()) {
    const o = old[i];
    if (!oldById.has(s.id)) fail(`sentence ${s.id} is not in ${OUTPUT}`);
    if (o.id !== s.id) fail(`sentence ${i}: ${s.id} now, ${o.id} in ${OUTPUT} (order changed)`);
    if (JSON.stringify(o.tokens) !== JSON.stringify(s.tokens)) fail(`sentence ${s.id}: tokens differ from ${OUTPUT}`);
    if (o.source !== s.source || o.start !== s.start || o.end !== s.end) fail(`sentence ${s.id}: offsets differ from ${OUTPUT}`);
  }
}

// Labels: the filer's four target tags, then the overrides.
const rows = sentences.map((s) => ({
  id: s.id,
  tokens: s.tokens,
  ner_tags: s.tokens.map((_, i) => overrides.get(`${s.id}#${i}`) ?? s.filer[i]),
  source: s.source,
  start: s.start,
  end: s.end,
}));
for (const r of rows) {
  r.ner_tags.forEach((t, i) => {
    if (t !== 0 && !/[0-9]/.test(r.tokens[i])) fail(`${r.id}#${i}: entity on a word without a digit (${JSON.stringify(r.tokens[i])})`);
  });
}
const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

// Counts for the README.
const stats = new Map();
const bucket = (key) => {
  if (!stats.has(key)) stats.set(key, { sentences: 0, words: 0, entities: [0, 0, 0, 0, 0], tagged: 0, corrected: 0, untagged: 0, repeats: 0 });
  return stats.get(key);
};
// a word the filer tags with a type anywhere in the filing's sentences here: untagged labels with that word and type are repeats
const taggedValues = new Map();
for (const s of sentences) {
  s.filer.forEach((t, i) => {
    if (t) taggedValues.set(`${s.source}|${t}|${s.tokens[i]}`, true);
  });
}
for (const [n, r] of rows.entries()) {
  const s = sentences[n];
  for (const b of [bucket(r.source), bucket('total')]) {
    b.sentences++;
    b.words += r.tokens.length;
    r.ner_tags.forEach((t, i) => {
      b.entities[t]++;
      if (s.filer[i]) b.tagged++;
      if (s.filer[i] && t !== s.filer[i]) b.corrected++;
      if (!s.filer[i] && t) {
        b.untagged++;
        if (taggedValues.has(`${r.source}|${t}|${r.tokens[i]}`)) b.repeats++;
      }
    });
  }
}
console.log(['filing', 'sentences', 'words', 'RATE', 'CAP', 'SPREAD', 'FACE', 'filer tags', 'corrected', 'untagged labelled (repeats)'].join('\t'));
for (const [key, b] of [...stats].sort(([a], [b]) => (a === 'total') - (b === 'total'))) {
  console.log([key, b.sentences, b.words, ...b.entities.slice(1), b.tagged, b.corrected, `${b.untagged} (${b.repeats})`].join('\t'));
}

if (check) {
  const committed = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
  if (committed !== text) fail(`${OUTPUT} differs from the build (run without --check to rewrite it)`);
  console.log(`${OUTPUT}: identical to the build`);
} else {
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT}`);
}
