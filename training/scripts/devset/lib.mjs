// Shared by the whole-document dev set scripts (see training/devset/whole-doc/README.md):
// read the chosen filings' sentences with a digit from a `finer ixbrl --all-sentences`
// dataset's validation split, and map the filer's FiNER-139 tags to the 5-label scheme.
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The dev set's labels, by id. */
export const SCHEME = [
  'O',
  'B-DebtInstrumentInterestRateStatedPercentage',
  'B-LineOfCreditFacilityMaximumBorrowingCapacity',
  'B-DebtInstrumentBasisSpreadOnVariableRate1',
  'B-DebtInstrumentFaceAmount',
];
/** Short names for listings and decisions.json. */
export const SHORT = ['O', 'RATE', 'CAP', 'SPREAD', 'FACE'];

export const DEFAULT_DATA = 'data/ixbrl-all0';
export const DEVSET_DIR = 'training/devset/whole-doc';
export const DECISIONS = join(DEVSET_DIR, 'decisions.json');
export const OUTPUT = join(DEVSET_DIR, 'whole-doc.jsonl');

export const hasDigit = (tokens) => tokens.some((t) => /[0-9]/.test(t));
export const sentenceId = (s) => `${s.source}:${s.start}`;

export function readDecisions(path = DECISIONS) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * The sentences with a digit of `filings` (validation split only), in
 * document order (the order of `filings`, then `start`), each with
 * `filer`: per token the filer's label as a 5-scheme id (0 where the filer's
 * FiNER-139 tag is none of the four) and `finer`: per token the FiNER-139
 * label name (for listings).
 */
export async function readSentences(dataDir, filings) {
  const info = JSON.parse(readFileSync(join(dataDir, 'dataset_info.json'), 'utf8'));
  const validation = new Set(info.splits.validation.files);
  for (const f of filings) {
    if (!validation.has(f)) throw new Error(`${f} is not a validation-split filing of ${dataDir}`);
  }
  const labelNames = info.label_names;
  const toScheme = labelNames.map((name) => Math.max(0, SCHEME.indexOf(name)));
  const wanted = new Set(filings);
  const bySource = new Map(filings.map((f) => [f, []]));
  const lines = createInterface({ input: createReadStream(join(dataDir, 'validation.jsonl')), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const s = JSON.parse(line);
    if (!wanted.has(s.source) || !hasDigit(s.tokens)) continue;
    bySource.get(s.source).push({
      id: sentenceId(s),
      tokens: s.tokens,
      source: s.source,
      start: s.start,
      end: s.end,
      filer: s.ner_tags.map((t) => toScheme[t]),
      finer: s.ner_tags.map((t) => labelNames[t]),
    });
  }
  const out = [];
  for (const f of filings) {
    const list = bySource.get(f).sort((a, b) => a.start - b.start);
    if (list.length === 0) throw new Error(`${f}: no sentence with a digit in ${dataDir}/validation.jsonl`);
    out.push(...list);
  }
  const ids = new Set();
  for (const s of out) {
    if (ids.has(s.id)) throw new Error(`duplicate sentence id ${s.id}`);
    ids.add(s.id);
  }
  return out;
}
