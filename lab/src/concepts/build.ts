/**
 * `lab concepts`: relabel the sentences of a `finer ixbrl` dataset folder
 * (usually `--all-sentences`) with the XBRL concept of every tagged number,
 * not only the 139 FiNER tags: a much larger supervised task ("which concept
 * is this number?") for a domain stage before the four entity types.
 *
 * Each line's `source`/`start`/`end` locate the sentence in its filing's
 * prose text, so the filing is read again (one at a time, in line order) and
 * each word gets the concept of the `ix:nonFraction` fact it overlaps. The
 * label set: the `top` most frequent us-gaap concepts of the train split that
 * have at least `minCount` facts there, always with the four entity types;
 * every other fact of a standard taxonomy is `OtherFact`, and a fact of a
 * filer's own extension concept `ExtensionFact` (filers make those up when
 * no standard concept fits them, often for what another filer tags with one:
 * an "aggregate principal amount" that is a face amount). Only sentences
 * with at least one fact are kept.
 *
 * Two passes: the first writes each kept sentence with its concept names to
 * a scratch file and counts the train split's concepts; the second maps names
 * to label ids. The folder is written atomically.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { SUBSET_LABELS } from '@finer-lens/core/ner/labels.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';
import type { ExtractedFiling } from '@finer-lens/core/ixbrl/extract.ts';
import { writeDirAtomic, writeFileAtomic } from '@finer-lens/training/util/atomic.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { DATASET_INFO, openDatasetFolder, readSplitLocated } from '@finer-lens/training/data/dataset-folder.ts';
import { readFiling } from '@finer-lens/training/data/ixbrl/read.ts';
import { JsonlWriter } from '@finer-lens/training/data/jsonl.ts';
import type { FinerSentence, SplitName } from '@finer-lens/training/data/sentence.ts';
import { FactIndex, conceptsOfWords } from './label-words.ts';
import { LAB_OUTPUTS } from '../outputs.ts';

/** The label of a fact of a standard taxonomy outside the chosen concepts. */
export const OTHER_FACT = 'OtherFact';
/** The label of a fact of a filer's own extension concept (any prefix outside the standard taxonomies). */
export const EXTENSION_FACT = 'ExtensionFact';
const US_GAAP = 'us-gaap:';
/** Prefixes of the SEC's standard taxonomies (us-gaap, SEC Reporting Taxonomy, cover page, IFRS, ...): the rest are extensions. */
const STANDARD_PREFIXES = new Set(['us-gaap', 'srt', 'dei', 'ifrs-full', 'country', 'currency', 'exch', 'naics', 'sic', 'stpr', 'invest', 'ecd', 'cyd', 'spac', 'snj', 'ffd', 'rxp', 'cef', 'oef', 'vip', 'sro', 'fnd']);
/** The four entity types' concept names, always labels so that a 4-type fine-tune keeps their rows. */
const TARGETS = SUBSET_LABELS.slice(1).map((l) => l.slice('B-'.length));

export interface ConceptOptions {
  /** At most this many us-gaap concepts get labels of their own (the four types on top). */
  top: number;
  /** A concept needs at least this many train facts for a label of its own. */
  minCount: number;
  /** Called after each filing read. */
  onFiling?: (split: SplitName, filings: number) => void;
  /** Replace an existing --out folder that is not a lab concepts output. */
  force?: boolean;
}

export interface ConceptSplitCounts {
  inputSentences: number;
  sentences: number;
  tokens: number;
  /** Facts (B- words) in kept sentences, and how many of them are OtherFact and ExtensionFact. */
  facts: number;
  otherFacts: number;
  extensionFacts: number;
}

export interface ConceptSummary {
  labelNames: string[];
  /** The concepts with labels of their own, by train facts (most first). */
  concepts: { name: string; trainFacts: number }[];
  splits: Partial<Record<SplitName, ConceptSplitCounts>>;
}

/** A word's concept in the scratch pass: [label name, 1 for its fact's first word] or 0. */
type RawWord = [string, 0 | 1] | 0;

/** The label name a qualified concept maps to before the cut: us-gaap local names, OtherFact or ExtensionFact. */
export function candidateName(concept: string): string {
  if (concept.startsWith(US_GAAP)) return concept.slice(US_GAAP.length);
  const colon = concept.indexOf(':');
  return colon > 0 && STANDARD_PREFIXES.has(concept.slice(0, colon)) ? OTHER_FACT : EXTENSION_FACT;
}

/** Which concepts get labels: the most frequent (ties by name), then the four types if the cut missed them. */
export function chooseConcepts(trainFacts: ReadonlyMap<string, number>, top: number, minCount: number): { name: string; trainFacts: number }[] {
  const ranked = [...trainFacts]
    .filter(([name, n]) => name !== OTHER_FACT && name !== EXTENSION_FACT && n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top);
  const chosen = new Set(ranked.map(([name]) => name));
  for (const t of TARGETS) if (!chosen.has(t)) ranked.push([t, trainFacts.get(t) ?? 0]);
  return ranked.map(([name, n]) => ({ name, trainFacts: n }));
}

/** O, then B-/I- of each concept, then of OtherFact and ExtensionFact. */
export function conceptLabelNames(concepts: readonly { name: string }[]): string[] {
  return ['O', ...[...concepts.map((c) => c.name), OTHER_FACT, EXTENSION_FACT].flatMap((name) => [`B-${name}`, `I-${name}`])];
}

function filingPath(filingsDir: string, source: string): string {
  return isAbsolute(source) || source.includes('/') ? source : join(filingsDir, source);
}

function located(sentence: FinerSentence, where: string): { source: string; start: number; end: number } {
  const { source, start, end } = sentence;
  if (typeof source !== 'string' || !Number.isInteger(start) || !Number.isInteger(end)) {
    throw new FinerError(`${where}: expected "source", "start" and "end" fields (a dataset folder built by finer ixbrl)`);
  }
  return { source, start: start as number, end: end as number };
}

export async function buildConceptDataset(dataDir: string, filingsDir: string, outDir: string, opts: ConceptOptions): Promise<ConceptSummary> {
  const folder = await openDatasetFolder(dataDir);
  const summary: ConceptSummary = { labelNames: [], concepts: [], splits: {} };
  await writeDirAtomic(outDir, async (tmp) => {
    const scratch = join(tmp, '.raw');
    await mkdir(scratch);
    const trainFacts = new Map<string, number>();
    // pass 1: concept names per word, by re-reading each filing
    for (const split of folder.splits) {
      const counts: ConceptSplitCounts = { inputSentences: 0, sentences: 0, tokens: 0, facts: 0, otherFacts: 0, extensionFacts: 0 };
      const raw = await JsonlWriter.create(join(scratch, `${split.name}.jsonl`));
      let current: { source: string; filing: ExtractedFiling; index: FactIndex } | undefined;
      let filings = 0;
      try {
        for await (const { sentence, where } of readSplitLocated(folder, split)) {
          counts.inputSentences++;
          const { source, start, end } = located(sentence, where);
          if (current?.source !== source) {
            const path = filingPath(filingsDir, source);
            if (!existsSync(path)) throw new FinerError(`${where}: filing ${path} not found; expected the filings the dataset was built from (--filings)`);
            const { filing } = await readFiling(path);
            current = { source, filing, index: new FactIndex(filing.facts) };
            opts.onFiling?.(split.name, ++filings);
          }
          const text = current.filing.text.slice(start, end);
          const words = tokenizeWords(text);
          if (words.length !== sentence.tokens.length || words.some((w, i) => w.text !== sentence.tokens[i])) {
            throw new FinerError(`${where}: its tokens are not the words of ${source} at ${start}..${end}; expected the same filings and tokenizer as the dataset's build`);
          }
          const concepts = conceptsOfWords(words, start, current.index.overlapping(start, end));
          if (concepts.every((c) => c === null)) continue;
          const names: RawWord[] = concepts.map((c) => (c === null ? 0 : [candidateName(c.concept), c.first ? 1 : 0]));
          if (split.name === 'train') {
            for (const w of names) if (w !== 0 && w[1] === 1) trainFacts.set(w[0], (trainFacts.get(w[0]) ?? 0) + 1);
          }
          await raw.write({ sentence, names });
        }
      } finally {
        await raw.close();
      }
      summary.splits[split.name] = counts;
    }
    if (!trainFacts.size) throw new FinerError(`${dataDir}: no sentence of its train split holds an ix:nonFraction fact; expected a dataset built by finer ixbrl from these filings`);
    summary.concepts = chooseConcepts(trainFacts, opts.top, opts.minCount);
    summary.labelNames = conceptLabelNames(summary.concepts);
    const idOf = new Map(summary.labelNames.map((name, id) => [name, id]));
    const known = new Set(summary.concepts.map((c) => c.name));
    // pass 2: names -> label ids
    for (const split of folder.splits) {
      const counts = summary.splits[split.name]!;
      const out = await JsonlWriter.create(join(tmp, `${split.name}.jsonl`));
      const lines = createInterface({ input: createReadStream(join(scratch, `${split.name}.jsonl`), { encoding: 'utf8' }), crlfDelay: Infinity });
      try {
        for await (const line of lines) {
          const { sentence, names } = JSON.parse(line) as { sentence: FinerSentence; names: RawWord[] };
          const tags = names.map((w) => {
            if (w === 0) return 0;
            const name = known.has(w[0]) || w[0] === EXTENSION_FACT ? w[0] : OTHER_FACT;
            if (w[1] === 1) {
              counts.facts++;
              if (name === OTHER_FACT) counts.otherFacts++;
              if (name === EXTENSION_FACT) counts.extensionFacts++;
            }
            return idOf.get(`${w[1] === 1 ? 'B' : 'I'}-${name}`)!;
          });
          counts.sentences++;
          counts.tokens += tags.length;
          await out.write({ ...sentence, ner_tags: tags });
        }
      } finally {
        lines.close();
        await out.close();
      }
    }
    await writeFileAtomic(join(tmp, DATASET_INFO), JSON.stringify(conceptInfo(dataDir, filingsDir, opts, summary, folder.info?.provenance), null, 1) + '\n');
    await rm(scratch, { recursive: true });
  }, { kind: LAB_OUTPUTS.concepts, inputs: [dataDir, filingsDir], force: opts.force });
  return summary;
}

function conceptInfo(dataDir: string, filingsDir: string, opts: ConceptOptions, summary: ConceptSummary, provenance: unknown) {
  return {
    schema: 1,
    description:
      'XBRL concepts of tagged numbers: sentences with at least one ix:nonFraction fact, each word labelled with its fact\'s concept ' +
      `(the ${summary.concepts.length} most frequent us-gaap concepts of the train split, the four entity types always among them; ${OTHER_FACT} for every other fact of a standard taxonomy, ${EXTENSION_FACT} for a filer's extension concept)`,
    label_names: summary.labelNames,
    splits: Object.fromEntries(
      Object.entries(summary.splits).map(([name, c]) => [
        name,
        { sentences: c.sentences, input_sentences: c.inputSentences, tokens: c.tokens, facts: c.facts, other_facts: c.otherFacts, extension_facts: c.extensionFacts },
      ]),
    ),
    ...(provenance !== undefined ? { provenance } : {}),
    concepts: { from: dataDir, filings: filingsDir, top: opts.top, min_count: opts.minCount, kept: summary.concepts },
  };
}
