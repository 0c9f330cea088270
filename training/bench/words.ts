/**
 * Word tokeniser and WordPiece encoder throughput on real filing text (the
 * encoder: every word's sub-tokens with the shipped tokenizer.json). Prints
 * one JSON line.
 *
 *   npm run bench:words -- [filings=40] [repeats=3]
 *
 * Text: the first N filings of ../shared/data/ixbrl, tags stripped with a
 * regex (good enough to feed the tokeniser realistic prose and tables).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { WordPiece } from '@finer-lens/core/text/wordpiece.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';

const IXBRL = resolve(import.meta.dirname, '../../../shared/data/ixbrl');
const TOKENIZER = resolve(import.meta.dirname, '../../public/models/finer-lens-small/tokenizer.json');
const filings = Number(process.argv[2] ?? 40);
const repeats = Number(process.argv[3] ?? 3);

const texts = readdirSync(IXBRL)
  .filter((f) => f.endsWith('.htm.gz'))
  .sort()
  .slice(0, filings)
  .map((f) =>
    gunzipSync(readFileSync(join(IXBRL, f)))
      .toString('utf8')
      .replace(/<ix:header>[\s\S]*?<\/ix:header>/g, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;|&#160;/g, '\u00a0')
      .replace(/&#8217;/g, '’'),
  );
const chars = texts.reduce((n, t) => n + t.length, 0);

let tokens = 0;
const times: number[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  tokens = 0;
  for (const t of texts) tokens += tokenizeWords(t).length;
  times.push(performance.now() - t0);
}
const best = Math.min(...times);

const encoder = WordPiece.fromTokenizerJson(JSON.parse(readFileSync(TOKENIZER, 'utf8')), TOKENIZER);
const words = texts.flatMap((t) => tokenizeWords(t).map((w) => w.text));
let subTokens = 0;
const encodeTimes: number[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  subTokens = 0;
  for (const w of words) subTokens += encoder.pieces(w).length;
  encodeTimes.push(performance.now() - t0);
}
const bestEncode = Math.min(...encodeTimes);
console.log(
  JSON.stringify({
    bench: 'tokenizeWords',
    filings: texts.length,
    chars,
    tokens,
    best_ms: Math.round(best),
    mchars_per_s: +(chars / 1e3 / best).toFixed(2),
    mtokens_per_s: +(tokens / 1e3 / best).toFixed(2),
    wordpiece: { words: words.length, sub_tokens: subTokens, best_ms: Math.round(bestEncode), mwords_per_s: +(words.length / 1e3 / bestEncode).toFixed(2) },
  }),
);
