/**
 * Fuzz of the app's text path (issue 21's "Done when"): N generated texts
 * (10-K debt sentences with numbers, currencies and percentages, mixed with
 * unassigned code points, supplementary-plane CJK, combining marks, full-width
 * and Arabic-Indic digits, zero-width and control characters, emoji, RTL,
 * very long tokens, empty and whitespace-only lines, HTML-ish text), each
 * tagged by `tagText` (core/src/ner/tagText.ts) on the shipped model with the
 * fp32 ONNX file on onnxruntime-node (`predictWords`) and with transformers.js's
 * pipeline (`predictWordsWithPipeline`), the folder's thresholds.json applied
 * then its verifier.json (`keptPredictions`), to every sentence's word predictions as both backends
 * of the app do (src/backends/modelFolder.ts `withCuts`, which needs the
 * DOM's `self` to typecheck) and `finer predict` does.
 *
 *   nice -n 19 npx tsx lab/scripts/analysis/fuzz-text.ts [--n 10000] [--seed 21] [--threads 1] [--batch-size 8] [--model public/models/finer-lens-small]
 *
 * Checks what the product promises (core/src/ner/types.ts, tagText.ts): no
 * exception; every word and entity on its characters (`text.slice(start, end)`),
 * neither cutting a surrogate pair; words and entities in order, not
 * overlapping; an entity starts and ends on a word of its sentence, lies in a
 * sentence with a digit (others skip the model), has a label of the model, a
 * score in [0, 1] and at least its type's threshold; tagging the same text
 * twice gives the same entities (both backends); ONNX fp32 and HF give the
 * same label to every word. Entities without a digit are counted, not failed:
 * the model labels words and nothing promises that a tagged word holds one.
 * Prints one JSON line (inputs, sentences, entities, failures by kind with 3
 * examples each, HF/ONNX disagreements with the first 5; each example with a
 * shrunk reproducer) and exits 1 on any failure or disagreement. A
 * disagreement is also counted apart (`hfOnnx.sameEncoding`) when every word
 * of its sentence gets the same ids from transformers.js's tokenizer as from
 * our encoder: one the tokenizers do not explain.
 */
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AutoTokenizer } from '@huggingface/transformers';
import fc from 'fast-check';
import { splitText, tagText, type TextSentence } from '@finer-lens/core/ner/tagText.ts';
import type { Entity, WordPredictions, WordPredictor } from '@finer-lens/core/ner/types.ts';
import { isSurrogatePair } from '@finer-lens/core/text/bert-chars.ts';
import { labelType } from '@finer-lens/core/ner/labels.ts';
import { keptPredictions } from '@finer-lens/core/ner/verifier.ts';
import { predictWords, predictWordsWithPipeline } from '@finer-lens/core/ner/tagger.ts';
import { readThresholds } from '@finer-lens/training/eval/thresholds.ts';
import { readVerifier } from '@finer-lens/training/verifier/read.ts';
import { hfClassifier } from '@finer-lens/training/infer/hf.ts';
import { openModelFolder } from '@finer-lens/training/infer/model-folder.ts';
import { onnxRunner } from '@finer-lens/training/infer/runners.ts';

const { values: flags } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '21' },
    threads: { type: 'string', default: '1' },
    // the app's BATCH_SIZE (src/backends/onnx.ts, which imports browser-only modules)
    'batch-size': { type: 'string', default: '8' },
    model: { type: 'string', default: 'public/models/finer-lens-small' },
  },
});
const N = Number(flags.n);
const SEED = Number(flags.seed);
const THREADS = Number(flags.threads);
const BATCH = Number(flags['batch-size']);
for (const [name, v] of [['--n', N], ['--seed', SEED], ['--threads', THREADS], ['--batch-size', BATCH]] as const) {
  if (!Number.isInteger(v) || v < (name === '--seed' ? 0 : 1)) {
    console.error(`fuzz-text.ts: ${name} ${String(flags[name.slice(2) as keyof typeof flags])}: expected an integer${name === '--seed' ? '' : ' of at least 1'}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------- generators

const cp = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

const BMP_UNASSIGNED = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => (c < 0xd800 || c > 0xdfff) && /\p{Cn}/u.test(String.fromCharCode(c)));
const unassigned = fc.oneof(
  fc.constantFrom(...BMP_UNASSIGNED).map((c) => String.fromCharCode(c)),
  cp(0x40000, 0xdffff), // planes 4-13: all unassigned
  pick('\u0378', '\ufffe', '\uffff', '\u{1fffe}', '\u{10ffff}'),
);
const cjkAstral = fc.oneof(cp(0x20000, 0x2a6df), cp(0x2b740, 0x2b81d), cp(0x2b820, 0x2cea1), cp(0x30000, 0x3134a));
const combining = fc.oneof(cp(0x300, 0x36f), cp(0x1ab0, 0x1abe), cp(0x20d0, 0x20f0), cp(0xfe20, 0xfe2f));
const toDigits = (s: string, zero: number) => s.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
const foreignDigits = fc.tuple(fc.integer({ min: 0, max: 999_999 }), pick(0xff10, 0x660, 0x6f0, 0x966, 0x9e6, 0x1d7ce, 0x1d7ec)).map(([n, zero]) => toDigits(n.toLocaleString('en-US'), zero));
const fullWidth = pick('\uff11\uff0c\uff12\uff15\uff10\uff0e\uff15', '\uff15\uff0e\uff12\uff15\uff05', '\uff04\uff15\uff10\uff10', '\u0665\u066b\u0662\u0665\u066a', '\u0661\u066c\u0662\u0665\u0660', '\u06f5\u06f0\u06f0');
const zeroWidth = pick('\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2063', '\ufeff', '\u00ad', '\u034f', '\u180e', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069');
const control = fc.oneof(cp(0x0, 0x1f), cp(0x7f, 0x9f));
const spaces = pick('\u00a0', '\u2002', '\u2003', '\u2009', '\u200a', '\u202f', '\u205f', '\u3000', '\u1680', '\t', '\v', '\f', '\r');
const emoji = fc.oneof(
  cp(0x1f300, 0x1faff),
  pick('😀', '👍🏽', '👨‍👩‍👧', '🇺🇸', '1️⃣', '#️⃣', '💵', '📈', '🏳️‍🌈', '❤️', '\u{e0067}'),
);
const rtl = pick('שלום', 'מיליון דולר', 'مليون', 'بلغت الفائدة ٥٫٢٥٪', 'القرض 500 مليون دولار', '\u202eSETON 5.25%\u202c', '\u2067عربي\u2069', 'ܫܠܡܐ', 'ދިވެހި');
const privateUse = fc.oneof(cp(0xe000, 0xf8ff), cp(0xf0000, 0xffffd));
const anyChar = fc.oneof(cp(0, 0xd7ff), cp(0xe000, 0x10ffff));

/** One piece of unusual text, dropped into or between the words of a sentence. */
const oddFragment = fc.oneof(
  unassigned, cjkAstral, combining, foreignDigits, fullWidth, zeroWidth, control, spaces, emoji, rtl, privateUse, anyChar,
  fc.string({ unit: anyChar, maxLength: 6 }),
);

const month = pick('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December');
const year = fc.integer({ min: 1995, max: 2055 }).map(String);
const date = fc.tuple(month, fc.integer({ min: 1, max: 31 }), year).map(([m, d, y]) => `${m} ${d}, ${y}`);
const amount = fc.oneof(
  fc.integer({ min: 1, max: 999 }).map(String),
  fc.integer({ min: 1_000, max: 999_999_999 }).map((n) => n.toLocaleString('en-US')),
  fc.tuple(fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a.toLocaleString('en-US')}.${b}`),
  fc.integer({ min: 1, max: 999 }).map((n) => `(${n})`),
);
const scale = pick('million', 'billion', 'thousand', '', 'million,', 'Million');
const currency = pick('$', '$ ', 'US$', '€', '£', '¥', 'C$', 'USD ', 'EUR ', '\uff04');
const rate = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => `${a}.${String(b).padStart(3, '0').replace(/0+$/, '') || '0'}`),
  fc.integer({ min: 1, max: 12 }).map(String),
  pick('5 1/4', '6 3/8', '0.0', '12.875', '.50'),
);
const pct = fc.tuple(rate, pick('%', ' %', ' percent', '% per annum', '%)')).map(([r, p]) => r + p);
const money = fc.tuple(currency, amount, scale).map(([c, a, s]) => `${c}${a}${s ? ' ' + s : ''}`);
const benchmark = pick('LIBOR', 'SOFR', 'Term SOFR', 'the Eurodollar Rate', 'the base rate', 'the federal funds rate plus 0.50%', 'EURIBOR');
const bank = pick('JPMorgan Chase Bank', 'Wells Fargo Bank', 'Bank of America', 'U.S. Bank National Association', 'Citibank');

/** Sentences as 10-K notes on debt write them, and a few that are not about debt. */
const sentence: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(date, money, pct, year).map(([d, m, p, y]) => `On ${d}, the Company issued ${m} aggregate principal amount of ${p} Senior Notes due ${y}.`),
  fc.tuple(money, money).map(([a, b]) => `The Credit Agreement provides for a revolving credit facility of up to ${a}, which may be increased by up to an additional ${b}.`),
  fc.tuple(benchmark, pct).map(([b, p]) => `Borrowings under the facility bear interest at ${b} plus a margin of ${p}.`),
  fc.tuple(pct, month, month).map(([p, a, b]) => `The notes bear interest at ${p}, payable semi-annually in arrears on ${a} 15 and ${b} 15 of each year.`),
  fc.tuple(date, money, money).map(([d, a, b]) => `As of ${d}, we had ${a} outstanding under the Term Loan and ${b} available for borrowing.`),
  fc.tuple(rate, year, money).map(([r, y, m]) => `The ${r}% Convertible Senior Notes due ${y} (the “${y} Notes”) had a principal amount of ${m}.`),
  fc.tuple(fc.integer({ min: 25, max: 500 }), pct, date).map(([b, p, d]) => `Interest on the term loan accrues at the Eurodollar rate plus ${b} basis points (${p} at ${d}).`),
  fc.tuple(money, bank).map(([m, b]) => `We entered into a ${m} unsecured revolving line of credit with ${b}, N.A.`),
  fc.tuple(pct, pct).map(([a, b]) => `The commitment fee on the unused portion ranges from ${a} to ${b}.`),
  fc.tuple(year, money, rate).map(([y, m, r]) => `In ${y}, the Company repaid ${m} of its ${r}% debentures.`),
  fc.tuple(pct, money, year, year).map(([p, m, a, b]) => `Revenue increased ${p} to ${m} in fiscal ${a} compared to fiscal ${b}.`),
  fc.tuple(fc.integer({ min: 1, max: 200 })).map(([n]) => `Item 7. Management’s Discussion and Analysis of Financial Condition and Results of Operations ${n}`),
  fc.tuple(amount, amount).map(([a, b]) => `Total long-term debt | ${a} | ${b}`),
  pick('The Company was in compliance with all covenants.', 'See Note 9 for further information.', 'None.'),
);

/** A sentence with odd fragments inserted at code-point positions (never inside a surrogate pair). */
const mutated = fc.tuple(sentence, fc.array(fc.tuple(fc.nat(), oddFragment), { minLength: 1, maxLength: 4 })).map(([s, inserts]) => {
  const chars = Array.from(s);
  for (const [at, f] of inserts) chars.splice(at % (chars.length + 1), 0, f);
  return chars.join('');
});
/** A sentence whose digits are full-width, Arabic-Indic, Devanagari or mathematical bold. */
const foreignNumbers = fc.tuple(sentence, pick(0xff10, 0x660, 0x6f0, 0x966, 0x1d7ce)).map(([s, zero]) => toDigits(s, zero));
/** Combining marks after some characters of a sentence. */
const marked = fc.tuple(sentence, fc.array(combining, { minLength: 1, maxLength: 8 }), fc.nat()).map(([s, marks, at]) => {
  const chars = Array.from(s);
  marks.forEach((m, i) => chars.splice((at + 7 * i) % (chars.length + 1), 0, m));
  return chars.join('');
});
const blank = pick('', ' ', '   ', '\t', '\u00a0', '\u3000', '\r', ' \t \u2003 ', '\u200b');
const html = fc.oneof(
  sentence.map((s) => `<p style="margin:0">${s}</p>`),
  fc.tuple(amount, pct).map(([a, p]) => `<tr><td>Senior notes</td><td>$</td><td>${a}</td><td>${p}</td></tr>`),
  amount.map((a) => `<ix:nonFraction name="us-gaap:DebtInstrumentFaceAmount" contextRef="c-1" unitRef="usd" scale="6" decimals="-6">${a}</ix:nonFraction>`),
  sentence.map((s) => s.replace(/ /g, '&nbsp;').replace(/\$/g, '&#36;').replace(/%/g, '&#x25;')),
  pick('<script>alert(1)</script>', '<!-- 5.25% -->', '<br/>', '<div><span>', '</td></tr></table>', '&amp;&lt;&gt;&quot;', '<img src=x onerror=alert(1)>', '<![CDATA[ $500 ]]>'),
);
/** Tokens longer than a word, a window or `pieces`' 16,384 units (the surrogate-pair cut of issue 21 included). */
const longToken = fc.oneof(
  fc.tuple(pick('a', '1', 'x', '中', '😀', '\u0301', '-', '.', '$'), fc.integer({ min: 100, max: 40_000 })).map(([c, k]) => c.repeat(k)),
  fc.integer({ min: 16_370, max: 16_400 }).map((k) => 'a'.repeat(k) + '😀 5%'),
  fc.integer({ min: 1, max: 3_000 }).map((k) => Array.from({ length: k }, (_, i) => String(i % 1000).padStart(3, '0')).join(',')),
  fc.tuple(sentence, fc.integer({ min: 2, max: 60 })).map(([s, k]) => Array(k).fill(s.replace(/\.$/, '')).join(' and ')),
  fc.string({ unit: anyChar, minLength: 200, maxLength: 3_000 }),
);

const line = fc.oneof(
  { weight: 8, arbitrary: sentence },
  { weight: 8, arbitrary: mutated },
  { weight: 2, arbitrary: foreignNumbers },
  { weight: 2, arbitrary: marked },
  { weight: 2, arbitrary: fc.array(fc.oneof(sentence, oddFragment), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(' ')) },
  { weight: 2, arbitrary: blank },
  { weight: 2, arbitrary: html },
  { weight: 1, arbitrary: rtl },
  { weight: 1, arbitrary: longToken },
);
const text = fc
  .array(fc.tuple(line, pick('\n', '\n', '\n\n', '\r\n', ' ', '  ', '\u2028', '\u0085')), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.map(([l, sep]) => l + sep).join(''));

// ---------------------------------------------------------------- the two backends

const MODEL = resolve(flags.model);
const folder = await openModelFolder(MODEL, { needOnnx: true });
const thresholds = await readThresholds(folder);
const verifier = await readVerifier(folder);
const types = new Set(folder.labels.filter((l) => l !== 'O').map(labelType));
const opts = { ...folder.window, batchSize: BATCH };

/** A backend as the app builds one (thresholds, then the context check, applied to the raw predict), keeping its last call's words and labels. */
interface Recording { predictor: WordPredictor; last: { words: string[][]; raw: WordPredictions; tagged: WordPredictions } }
function recording(backend: 'onnx' | 'hf', raw: WordPredictor['predict'], release: () => Promise<void>): Recording {
  const rec = { last: { words: [], raw: [], tagged: [] } } as unknown as Recording;
  const thresholded: WordPredictor['predict'] = async (s, o) => {
    const r = await raw(s, o);
    rec.last.words = s.map((w) => [...w]);
    rec.last.raw = r.predictions;
    return { ...r, predictions: r.predictions.map((p, i) => keptPredictions(s[i]!, p, thresholds, verifier)) };
  };
  rec.predictor = {
    // provider: onnxruntime-node's CPU here; the field only names the browser's
    info: { backend, precision: 'fp32', provider: 'wasm', threads: THREADS, model: folder.name, modelFile: 'onnx/model.onnx', loadMs: 0, ...(thresholds ? { thresholds } : {}) },
    predict: async (s, o) => {
      rec.last = { words: [], raw: [], tagged: [] };
      const r = await thresholded(s, o);
      rec.last.tagged = r.predictions;
      return r;
    },
    dispose: release,
  };
  return rec;
}

const runner = await onnxRunner(join(MODEL, 'onnx', 'model.onnx'), folder.labels.length, THREADS);
const onnx = recording('onnx', (s) => predictWords(s, folder.encoder, folder.labels, runner.run, opts), runner.release);
const hfPipe = await hfClassifier(MODEL, 'fp32', THREADS);
const hf = recording('hf', (s) => predictWordsWithPipeline(s, folder.encoder, hfPipe.classify, opts), hfPipe.release);
// the pipeline's own tokenizer (hfClassifier has pointed transformers.js at the folder), to tell which words it encodes otherwise than our encoder
const hfTokenizer = await AutoTokenizer.from_pretrained(basename(MODEL));
const encodedOtherwise = (word: string) => JSON.stringify(hfTokenizer.encode(word, { add_special_tokens: false })) !== JSON.stringify(folder.encoder.pieces(word));

// ---------------------------------------------------------------- checks

type Kind =
  | 'exception' | 'word-offsets' | 'word-order' | 'entity-offsets' | 'entity-text' | 'entity-order'
  | 'entity-not-on-words' | 'entity-in-sentence-without-digit' | 'split-surrogate' | 'bad-label' | 'bad-score'
  | 'below-threshold' | 'nondeterministic';
interface Failure { kind: Kind; backend?: string; detail: string }

const HAS_DIGIT = /\p{Nd}/u;
const cutsPair = (t: string, i: number) => i > 0 && isSurrogatePair(t, i - 1);

function checkWords(t: string, sentences: readonly TextSentence[]): Failure[] {
  const out: Failure[] = [];
  let end = 0;
  for (const s of sentences) {
    for (const w of s.words) {
      if (t.slice(w.start, w.end) !== w.text || w.start >= w.end) out.push({ kind: 'word-offsets', detail: `word ${JSON.stringify(w.text)} at [${w.start}, ${w.end})` });
      if (w.start < end || w.start < s.start || w.end > s.end) out.push({ kind: 'word-order', detail: `word [${w.start}, ${w.end}) after ${end} in sentence [${s.start}, ${s.end})` });
      if (cutsPair(t, w.start) || cutsPair(t, w.end)) out.push({ kind: 'split-surrogate', detail: `word [${w.start}, ${w.end}) ${JSON.stringify(w.text)}` });
      end = Math.max(end, w.end);
    }
  }
  return out;
}

function checkEntities(t: string, sentences: readonly TextSentence[], entities: readonly Entity[], backend: string): Failure[] {
  const out: Failure[] = [];
  const f = (kind: Kind, e: Entity, why = '') => out.push({ kind, backend, detail: `${e.label} [${e.start}, ${e.end}) ${JSON.stringify(e.text)}${why}` });
  let end = 0;
  for (const e of entities) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end > t.length || e.start >= e.end) f('entity-offsets', e);
    if (t.slice(e.start, e.end) !== e.text) f('entity-text', e, ` is ${JSON.stringify(t.slice(e.start, e.end))} in the text`);
    if (e.start < end) f('entity-order', e, ` starts before ${end}`);
    end = Math.max(end, e.end);
    if (cutsPair(t, e.start) || cutsPair(t, e.end)) f('split-surrogate', e);
    const s = sentences.find((x) => x.words.some((w) => w.start === e.start));
    if (!s || !s.words.some((w) => w.end === e.end && w.start >= e.start)) f('entity-not-on-words', e);
    else if (!s.words.some((w) => HAS_DIGIT.test(w.text))) f('entity-in-sentence-without-digit', e);
    if (!types.has(e.label)) f('bad-label', e);
    if (!Number.isFinite(e.score) || e.score < 0 || e.score > 1) f('bad-score', e, ` score ${e.score}`);
    const min = thresholds?.[e.label];
    if (min !== undefined && e.score < min) f('below-threshold', e, ` score ${e.score} < ${min}`);
  }
  return out;
}

/**
 * A word whose thresholded label differs between ONNX and HF in one tagging
 * each of the same text; `otherwiseEncoded`: the words of its sentence that
 * transformers.js's tokenizer encodes otherwise than our encoder (then the
 * two models read different sub-tokens).
 */
interface Disagreement { word: string; onnx: string; hf: string; onnxScore: number; hfScore: number; rawAgree: boolean; otherwiseEncoded: string[] }
function disagreements(a: Recording['last'], b: Recording['last']): Disagreement[] {
  const out: Disagreement[] = [];
  if (JSON.stringify(a.words) !== JSON.stringify(b.words)) out.push({ word: '(the words sent to the model differ)', onnx: '', hf: '', onnxScore: NaN, hfScore: NaN, rawAgree: false, otherwiseEncoded: [] });
  a.tagged.forEach((sent, i) => {
    let otherwiseEncoded: string[] | undefined;
    sent.forEach((p, w) => {
      const q = b.tagged[i]?.[w];
      if (q?.label === p.label) return;
      otherwiseEncoded ??= a.words[i]!.filter(encodedOtherwise);
      out.push({
        word: a.words[i]![w]!, onnx: p.label, hf: q?.label ?? '(none)', onnxScore: p.score, hfScore: q?.score ?? NaN,
        rawAgree: a.raw[i]![w]!.label === b.raw[i]?.[w]?.label, otherwiseEncoded,
      });
    });
  });
  return out;
}

const firstLine = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0]!;
const same = (a: readonly Entity[], b: readonly Entity[]) => JSON.stringify(a) === JSON.stringify(b);

interface Outcome { failures: Failure[]; disagreements: Disagreement[]; sentences: number; entities: number; noDigit: Entity[] }
/** Everything checked on one text. */
async function check(t: string): Promise<Outcome> {
  const failures: Failure[] = [];
  const result: Outcome = { failures, disagreements: [], sentences: 0, entities: 0, noDigit: [] };
  let sentences: TextSentence[];
  try {
    sentences = splitText(t);
  } catch (err) {
    failures.push({ kind: 'exception', detail: `splitText: ${firstLine(err)}` });
    return result;
  }
  result.sentences = sentences.length;
  failures.push(...checkWords(t, sentences));
  const tagged: Partial<Record<'onnx' | 'hf', Entity[]>> = {};
  const calls: Partial<Record<'onnx' | 'hf', Recording['last']>> = {};
  for (const [name, b] of [['onnx', onnx], ['hf', hf]] as const) {
    try {
      const first = (await tagText(b.predictor, t)).entities;
      tagged[name] = first;
      calls[name] = b.last; // the second call replaces b.last
      failures.push(...checkEntities(t, sentences, first, name));
      const again = (await tagText(b.predictor, t)).entities;
      if (!same(first, again)) failures.push({ kind: 'nondeterministic', backend: name, detail: `${JSON.stringify(first)} then ${JSON.stringify(again)}` });
    } catch (err) {
      failures.push({ kind: 'exception', backend: name, detail: firstLine(err) });
    }
  }
  if (calls.onnx && calls.hf) result.disagreements = disagreements(calls.onnx, calls.hf);
  result.entities = tagged.onnx?.length ?? 0;
  result.noDigit = (tagged.onnx ?? []).filter((e) => !HAS_DIGIT.test(e.text));
  return result;
}

/**
 * The shortest text found that still fails `fails` (delta debugging over code
 * points: drop halves, then quarters, ... while the failure stays), at most
 * `budget` checks.
 */
async function shrink(t: string, fails: (t: string) => Promise<boolean>, budget = 600): Promise<string> {
  let chars = Array.from(t);
  let n = 2;
  while (chars.length >= 2 && budget > 0) {
    const size = Math.ceil(chars.length / n);
    let reduced = false;
    for (let i = 0; i < chars.length && budget > 0; i += size) {
      const candidate = [...chars.slice(0, i), ...chars.slice(i + size)];
      budget--;
      if (candidate.length > 0 && (await fails(candidate.join('')))) {
        chars = candidate;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= chars.length) break;
      n = Math.min(n * 2, chars.length);
    }
  }
  return chars.join('');
}

// ---------------------------------------------------------------- the run

const texts = fc.sample(text, { seed: SEED, numRuns: N });
/** The first 400 characters of a text for the summary, never half a surrogate pair. */
const clip = (t: string) => (t.length <= 400 ? t : t.slice(0, isSurrogatePair(t, 399) ? 399 : 400) + '…');
const started = performance.now();
const byKind: Partial<Record<Kind, number>> = {};
const failureExamples: Array<Failure & { input: number; text: string; minimal?: string }> = [];
type DisagreementExample = Disagreement & { input: number; text: string; minimal?: string; minimalDisagreement?: Disagreement };
const disagreementExamples: DisagreementExample[] = [];
/** The first disagreements in sentences whose words both tokenizers encode alike: unexplained by the tokenizers. */
const sameEncodingExamples: DisagreementExample[] = [];
let sentences = 0;
let entities = 0;
let characters = 0;
let disagreeingWords = 0;
let disagreeingInputs = 0;
let thresholdOnlyWords = 0;
let sameEncodingWords = 0;
let sameEncodingInputs = 0;
const noDigit: Array<{ input: number; label: string; text: string }> = [];
let noDigitCount = 0;

for (let i = 0; i < texts.length; i++) {
  const t = texts[i]!;
  characters += t.length;
  const r = await check(t);
  sentences += r.sentences;
  entities += r.entities;
  noDigitCount += r.noDigit.length;
  for (const e of r.noDigit) if (noDigit.length < 5) noDigit.push({ input: i, label: e.label, text: e.text });
  for (const f of r.failures) {
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    if (failureExamples.filter((x) => x.kind === f.kind).length < 3) failureExamples.push({ ...f, input: i, text: clip(t) });
  }
  if (r.disagreements.length > 0) {
    disagreeingInputs++;
    disagreeingWords += r.disagreements.length;
    thresholdOnlyWords += r.disagreements.filter((d) => d.rawAgree).length;
    const clipped = clip(t);
    if (disagreementExamples.length < 5) disagreementExamples.push({ ...r.disagreements[0]!, input: i, text: clipped });
    const unexplained = r.disagreements.filter((d) => d.otherwiseEncoded.length === 0);
    if (unexplained.length > 0) {
      sameEncodingInputs++;
      sameEncodingWords += unexplained.length;
      if (sameEncodingExamples.length < 5) sameEncodingExamples.push({ ...unexplained[0]!, input: i, text: clipped });
    }
  }
  if ((i + 1) % 250 === 0) {
    const s = (performance.now() - started) / 1000;
    process.stderr.write(`fuzz-text: ${i + 1}/${texts.length} inputs, ${s.toFixed(0)} s, ${Object.values(byKind).reduce((a, b) => a + b, 0)} failures, ${disagreeingInputs} inputs with HF != ONNX\n`);
  }
}

// the shortest text that still fails the same way, for each example kept
for (const ex of failureExamples) {
  ex.minimal = await shrink(texts[ex.input]!, async (s) => (await check(s)).failures.some((f) => f.kind === ex.kind && f.backend === ex.backend));
}
for (const [examples, kept] of [[disagreementExamples, () => true], [sameEncodingExamples, (d: Disagreement) => d.otherwiseEncoded.length === 0]] as const) {
  for (const ex of examples) {
    ex.minimal = await shrink(texts[ex.input]!, async (s) => (await check(s)).disagreements.some(kept));
    ex.minimalDisagreement = (await check(ex.minimal)).disagreements.find(kept);
  }
}

await onnx.predictor.dispose();
await hf.predictor.dispose();
const failures = Object.values(byKind).reduce((a, b) => a + b, 0);
// escaped: C1 controls and U+2028/U+2029 of the examples would break the one line in some viewers
const oneLine = (json: string) => json.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
process.stdout.write(
  oneLine(JSON.stringify({
    model: flags.model, seed: SEED, inputs: texts.length, characters, sentences, entities, thresholds: thresholds ?? null,
    seconds: Math.round((performance.now() - started) / 1000),
    failures, failuresByKind: byKind, failureExamples,
    hfOnnx: {
      inputsDisagreeing: disagreeingInputs, wordsDisagreeing: disagreeingWords, wordsDisagreeingOnlyAfterThresholds: thresholdOnlyWords,
      examples: disagreementExamples,
      sameEncoding: { inputsDisagreeing: sameEncodingInputs, wordsDisagreeing: sameEncodingWords, examples: sameEncodingExamples },
    },
    entitiesWithoutDigit: { count: noDigitCount, note: 'counted, not failed: nothing promises that a tagged word holds a digit', examples: noDigit },
  })) + '\n',
);
process.exitCode = failures > 0 || disagreeingInputs > 0 ? 1 : 0;
