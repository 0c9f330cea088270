import { readFileSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IxFact } from '@finer-lens/core/ixbrl/extract.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';
import { buildConceptDataset, candidateName, chooseConcepts, conceptLabelNames, EXTENSION_FACT, OTHER_FACT, type ConceptSummary } from '../../src/concepts/build.ts';
import { FactIndex, conceptsOfWords } from '../../src/concepts/label-words.ts';
import { openDatasetFolder } from '@finer-lens/training/data/dataset-folder.ts';
import { buildIxbrlDataset } from '@finer-lens/training/data/ixbrl/build.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { expectOneLineError } from '@finer-lens/training/test/cli-run.ts';
import { runLab } from '../cli-run.ts';
import { FACE, LINE, RATE, fact, removeTempDirs, tempDir, writeFiling } from '@finer-lens/training/test/data/ixbrl-fixtures.ts';

afterAll(removeTempDirs);

const prose = (name: string, start: number, end: number): IxFact => ({ name, place: 'prose', start, end, value: '' });

describe('FactIndex', () => {
  const facts = [prose('a', 50, 60), prose('b', 0, 5), { name: 't', place: 'table', start: 0, end: 0 } as IxFact, prose('c', 10, 40), prose('d', 12, 14), prose('e', 70, 71)];
  const index = new FactIndex(facts);
  const names = (start: number, end: number) => index.overlapping(start, end).map((f) => f.name);

  it('finds the prose facts that overlap a span, by start, table facts never', () => {
    expect(names(0, 100)).toEqual(['b', 'c', 'd', 'a', 'e']);
    expect(names(5, 10)).toEqual([]);
    expect(names(60, 70)).toEqual([]);
  });

  it('finds a long fact that starts before the span, past nested ones that end earlier', () => {
    expect(names(20, 30)).toEqual(['c']);
    expect(names(13, 45)).toEqual(['c', 'd']);
    expect(names(39, 51)).toEqual(['c', 'a']);
  });
});

describe('conceptsOfWords', () => {
  const text = 'We issued $1.5 billion of 5.0% notes, due 2030.';
  const words = tokenizeWords(text);
  const at = (s: string) => text.indexOf(s);
  const offset = 1000; // the sentence's place in the prose text

  it('labels the words inside each fact with its concept, the first word B, later words I', () => {
    const facts = [prose('us-gaap:DebtInstrumentFaceAmount', offset + at('1.5'), offset + at(' of')), prose('abc:Coupon', offset + at('5.0'), offset + at('%'))];
    const concepts = conceptsOfWords(words, offset, facts);
    const byWord = Object.fromEntries(words.map((w, i) => [w.text, concepts[i]]));
    expect(byWord['1.5']).toEqual({ concept: 'us-gaap:DebtInstrumentFaceAmount', first: true });
    expect(byWord['billion']).toEqual({ concept: 'us-gaap:DebtInstrumentFaceAmount', first: false });
    expect(byWord['5.0']).toEqual({ concept: 'abc:Coupon', first: true });
    expect(byWord['2030']).toBeNull();
    expect(byWord['$']).toBeNull();
  });

  it('a word already taken by an earlier fact keeps it', () => {
    const facts = [prose('x:A', offset + at('5.0'), offset + at('%')), prose('x:B', offset + at('5.0'), offset + at('%'))];
    expect(conceptsOfWords(words, offset, facts)[words.findIndex((w) => w.text === '5.0')]).toEqual({ concept: 'x:A', first: true });
  });
});

describe('chooseConcepts and conceptLabelNames', () => {
  const counts = new Map([
    ['Goodwill', 50],
    ['Depreciation', 50],
    ['SharePrice', 30],
    ['Rare', 2],
    [OTHER_FACT, 500],
    [EXTENSION_FACT, 400],
    ['DebtInstrumentFaceAmount', 40],
  ]);

  it('keeps the most frequent concepts above the minimum (ties by name), never OtherFact, and always the four entity types', () => {
    const chosen = chooseConcepts(counts, 2, 5);
    expect(chosen.slice(0, 2)).toEqual([
      { name: 'Depreciation', trainFacts: 50 },
      { name: 'Goodwill', trainFacts: 50 },
    ]);
    expect(chosen.slice(2).map((c) => c.name).sort()).toEqual(
      ['DebtInstrumentBasisSpreadOnVariableRate1', 'DebtInstrumentFaceAmount', 'DebtInstrumentInterestRateStatedPercentage', 'LineOfCreditFacilityMaximumBorrowingCapacity'],
    );
    expect(chooseConcepts(counts, 10, 5).map((c) => c.name)).not.toContain('Rare');
  });

  it('names O, then B-/I- per concept, then OtherFact and ExtensionFact', () => {
    expect(conceptLabelNames([{ name: 'Goodwill' }])).toEqual(['O', 'B-Goodwill', 'I-Goodwill', 'B-OtherFact', 'I-OtherFact', 'B-ExtensionFact', 'I-ExtensionFact']);
  });

  it('maps us-gaap concepts to their local names, other standard taxonomies to OtherFact, a filer prefix to ExtensionFact', () => {
    expect(candidateName('us-gaap:Goodwill')).toBe('Goodwill');
    expect(candidateName('srt:MinimumMember')).toBe(OTHER_FACT);
    expect(candidateName('dei:EntityCommonStockSharesOutstanding')).toBe(OTHER_FACT);
    expect(candidateName('tjx:AggregatePrincipalAmount')).toBe(EXTENSION_FACT);
    expect(candidateName('NoPrefix')).toBe(EXTENSION_FACT);
  });
});

describe('buildConceptDataset on a small corpus', () => {
  const filings = tempDir('finer-concepts-');
  const ixbrl = join(tempDir('finer-concepts-ds-'), 'all');
  const out = join(tempDir('finer-concepts-out-'), 'concepts');
  const ext = (name: string, value: string) => `<ix:nonFraction name="${name}" contextRef="c1" unitRef="usd" decimals="-5">${value}</ix:nonFraction>`;
  const paragraph = (i: number) =>
    `In ${2020 + i} we issued $${fact(FACE, String(100 + i))} million of notes at ${fact(RATE, '5.0')}%. ` +
    `Goodwill was $${fact('Goodwill', String(10 + i))} million and the floor is ${ext('abc:Floor', '1.0')}%. ` +
    `Goodwill was $${fact('Goodwill', String(20 + i))} million in 2019. ` +
    `Revenue grew in ${2020 + i}. We have a credit line of $${fact(LINE, '50')} million and ${fact('Rare', '3')} leases.`;
  let summary: ConceptSummary;

  beforeAll(async () => {
    for (let c = 1; c <= 5; c++) await writeFiling(join(filings, `co${c}.htm`), { cik: String(c), paragraphs: [paragraph(c)] });
    await buildIxbrlDataset([filings], { out: ixbrl, seed: 7, split: [60, 20, 20], allSentences: true });
    summary = await buildConceptDataset(ixbrl, filings, out, { top: 10, minCount: 4 });
  });

  const lines = (dir: string, split: string) =>
    readFileSync(join(dir, `${split}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { tokens: string[]; ner_tags: number[]; source: string; start: number; end: number });

  it('keeps only the sentences with a fact, tokens and places unchanged', () => {
    const all = lines(ixbrl, 'train');
    const kept = lines(out, 'train');
    expect(all.some((l) => l.tokens.join(' ').startsWith('Revenue grew'))).toBe(true);
    expect(kept.some((l) => l.tokens.join(' ').startsWith('Revenue grew'))).toBe(false);
    expect(kept.length).toBe(3 * 4); // 3 train companies, 4 sentences with facts each
    for (const k of kept) expect(all.find((l) => l.source === k.source && l.start === k.start)!.tokens).toEqual(k.tokens);
  });

  it('labels every fact: frequent us-gaap concepts by name, rare ones OtherFact, extensions ExtensionFact', async () => {
    const folder = await openDatasetFolder(out);
    expect(folder.labelNames).toEqual(summary.labelNames);
    const names = folder.labelNames;
    const labelOf = (word: string) => {
      for (const l of lines(out, 'train')) {
        const i = l.tokens.indexOf(word);
        if (i >= 0) return names[l.ner_tags[i]];
      }
      return undefined;
    };
    expect(names).toContain('B-Goodwill');
    expect(names).not.toContain('B-Rare'); // 3 train facts, under the minimum of 4
    expect(labelOf('5.0')).toBe('B-DebtInstrumentInterestRateStatedPercentage');
    expect(labelOf('1.0')).toBe(`B-${EXTENSION_FACT}`);
    expect(labelOf('3')).toBe(`B-${OTHER_FACT}`);
    expect(labelOf('notes')).toBe('O');
    expect(summary.splits.train!.otherFacts).toBe(3);
    expect(summary.splits.train!.extensionFacts).toBe(3);
    expect(summary.splits.train!.facts).toBe(7 * 3);
  });

  it('writes dataset_info.json with the label names and the concepts kept', () => {
    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    expect(info.label_names).toEqual(summary.labelNames);
    expect(info.concepts.kept.find((c: { name: string }) => c.name === 'Goodwill').trainFacts).toBe(6);
    expect(info.splits.train.sentences).toBe(12);
  });

  it('refuses a dataset whose tokens are not the words of its filing, naming the line', async () => {
    const bad = join(tempDir('finer-concepts-bad-'), 'all');
    await cp(ixbrl, bad, { recursive: true });
    const file = join(bad, 'train.jsonl');
    const [first, ...rest] = readFileSync(file, 'utf8').split('\n');
    const line = JSON.parse(first);
    line.tokens[0] = 'Changed';
    writeFileSync(file, [JSON.stringify(line), ...rest].join('\n'));
    await expect(buildConceptDataset(bad, filings, join(bad, '..', 'o'), { top: 10, minCount: 4 })).rejects.toThrow(
      new FinerError(`${file}:1: its tokens are not the words of ${line.source} at ${line.start}..${line.end}; expected the same filings and tokenizer as the dataset's build`),
    );
  });

  it('names the line of the file, blank lines counted, not the count of sentences read', async () => {
    const bad = join(tempDir('finer-concepts-blank-'), 'all');
    await cp(ixbrl, bad, { recursive: true });
    const file = join(bad, 'train.jsonl');
    const [first, second, ...rest] = readFileSync(file, 'utf8').split('\n');
    const line = JSON.parse(second);
    line.tokens[0] = 'Changed';
    writeFileSync(file, [first, '', JSON.stringify(line), ...rest].join('\n'));
    await expect(buildConceptDataset(bad, filings, join(bad, '..', 'o'), { top: 10, minCount: 4 })).rejects.toThrow(
      new FinerError(`${file}:3: its tokens are not the words of ${line.source} at ${line.start}..${line.end}; expected the same filings and tokenizer as the dataset's build`),
    );
  });

  it('the CLI names a missing filing in one line', async () => {
    const run = await runLab(['concepts', ixbrl, '--filings', join(filings, 'nowhere'), '--out', join(out, '..', 'x')]);
    expectOneLineError(run, /train\.jsonl:1: filing .*nowhere.* not found; expected the filings the dataset was built from \(--filings\)/);
  });
});
