import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractIxbrl } from '@finer-lens/core/ixbrl/extract.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';
import { FINER139_LABELS, finerBId } from '@finer-lens/core/ner/labels.ts';
import { buildIxbrlDataset, type BuildSummary } from '../../src/data/ixbrl/build.ts';
import { SPLITS } from '../../src/data/ixbrl/split.ts';
import { assemble, DEFAULT_DEDUPE_SCOPE } from '../../src/data/ixbrl/assemble.ts';
import type { FilingRecord, SentenceRecord } from '../../src/data/ixbrl/filing.ts';
import { FinerError } from '../../src/util/errors.ts';
import { removeTempDirs, tempDir, FACE, LINE, RATE, SPREAD, fact, writeFiling, writeTruncatedGz, type FixtureFiling } from './ixbrl-fixtures.ts';

afterAll(removeTempDirs);

interface Line { id: string; tokens: string[]; ner_tags: number[]; source: string; start: number; end: number }

const NOTES = `The 2030 Notes bear interest at ${fact(RATE, '5.0')}% per annum.`;
const COMMON = `The Company has a revolving credit facility of $${fact(LINE, '50')} million.`;
const CORPUS: Record<string, FixtureFiling> = {
  'co1-2021.htm.gz': { cik: '0000000001', paragraphs: [NOTES, `In 2021 we issued $${fact(FACE, '100')} million of notes.`, COMMON] },
  'old/co1-2022.htm': { cik: '1', paragraphs: [NOTES, `In 2022 we issued $${fact(FACE, '200')} million of notes.`, COMMON] },
  'co2.htm.gz': {
    cik: '2',
    paragraphs: [`Our term loan bears interest at SOFR plus ${fact(SPREAD, '1.75')}%.`, COMMON],
    cells: [`Notes at ${fact(RATE, '6.0')}%`],
    hidden: [fact(FACE, '300')],
  },
  'co3.htm': { cik: '3', paragraphs: ['Revenue grew by 5% in 2022.', `We repaid $${fact(FACE, '40')} million of notes.`, COMMON] },
  'co4.htm': { registrant: 'Delta Holdings, Inc.', paragraphs: [`Delta borrowed $${fact(FACE, '7.5')} million at ${fact(RATE, '3.25')}%.`, COMMON] },
  'co5.html': { cik: '5', paragraphs: [`The facility was reduced to $${fact(LINE, '25')} million.`, COMMON] },
};

// Most tests check the stricter 'split' scope; the 'filing' default has its own test.
const OPTIONS = { seed: 7, split: [60, 20, 20] as const, allSentences: false, dedupe: 'split' as const };

function readLines(dir: string, split: string): Line[] {
  return readFileSync(join(dir, `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

describe('buildIxbrlDataset on a small corpus of 6 filings by 5 companies', () => {
  const corpus = tempDir('finer-ixbrl-');
  const out = join(tempDir('finer-ixbrl-out-'), 'ds');
  let summary: BuildSummary;
  let info: any; // dataset_info.json as written
  const lines: Record<string, Line[]> = {};

  beforeAll(async () => {
    for (const [name, f] of Object.entries(CORPUS)) await writeFiling(join(corpus, name), f);
    summary = await buildIxbrlDataset([corpus], { ...OPTIONS, out });
    info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    for (const split of SPLITS) lines[split] = readLines(out, split);
  });

  it('puts every company, with all its filings, in exactly one split (3/1/1 of 5 companies)', () => {
    expect(summary.files).toBe(6);
    expect(SPLITS.map((s) => info.splits[s].companies.length)).toEqual([3, 1, 1]);
    const all = SPLITS.flatMap((s) => info.splits[s].companies);
    expect(new Set(all).size).toBe(5);
    expect(all).toContain('cik:0000000001');
    expect(all).toContain('name:DELTA HOLDINGS, INC.');
    const co1 = SPLITS.filter((s) => info.splits[s].files.some((f: string) => f.startsWith('co1-')));
    expect(co1).toHaveLength(1);
    expect(info.splits[co1[0]].files.filter((f: string) => f.startsWith('co1-'))).toHaveLength(2);
  });

  it('writes FiNER lines whose offsets point at the sentence in the extracted prose', () => {
    expect(info.label_names).toEqual(FINER139_LABELS);
    for (const split of SPLITS) {
      lines[split].forEach((line, i) => {
        expect(Object.keys(line)).toEqual(['id', 'tokens', 'ner_tags', 'source', 'start', 'end']);
        expect(line.id).toBe(String(i));
        expect(line.ner_tags).toHaveLength(line.tokens.length);
        const name = Object.keys(CORPUS).find((k) => basename(k) === line.source)!;
        const raw = readFileSync(join(corpus, name));
        const text = extractIxbrl((name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')).text;
        expect(tokenizeWords(text.slice(line.start, line.end)).map((t) => t.text)).toEqual(line.tokens);
        expect(info.provenance[split].files[info.provenance[split].sentence_file[i]]).toBe(line.source);
      });
    }
    const delta = SPLITS.flatMap((s) => lines[s]).find((l) => l.tokens[0] === 'Delta')!;
    expect(delta.tokens.join(' ')).toBe('Delta borrowed $ 7.5 million at 3.25 % .');
    expect(delta.ner_tags).toEqual([0, 0, 0, finerBId(FACE), 0, 0, finerBId(RATE), 0, 0]);
  });

  it('keeps only tagged sentences, drops duplicates within a split and validation/test copies of train sentences', () => {
    const all = SPLITS.flatMap((s) => lines[s]);
    expect(all.some((l) => l.tokens[0] === 'Revenue')).toBe(false);
    for (const split of SPLITS) {
      const keys = lines[split].map((l) => l.tokens.join(' '));
      expect(new Set(keys).size).toBe(keys.length);
    }
    const train = new Set(lines.train.map((l) => l.tokens.join(' ')));
    for (const l of [...lines.validation, ...lines.test]) expect(train.has(l.tokens.join(' '))).toBe(false);
    // the COMMON sentence is in all 6 filings: one copy in train, the rest dropped and counted
    const common = all.filter((l) => l.tokens[4] === 'revolving');
    expect(common).toHaveLength(1);
    const d = info.reconciliation.dropped_sentences;
    expect(d.inTrain.validation + d.inTrain.test).toBe(info.splits.validation.files.length + info.splits.test.files.length);
    // COMMON again in every other train filing, and co1's NOTES in its second filing (same split)
    const commonDuplicates = info.splits.train.files.length - 1;
    expect(d.duplicate.train + d.duplicate.validation + d.duplicate.test).toBe(commonDuplicates + 1);
  });

  it('reconciles every target fact: prose / table / hidden, and where each prose fact went', () => {
    const byTag = Object.fromEntries(summary.reconciliation.targets.map((t) => [t.tag, t]));
    expect(byTag[RATE].facts).toEqual({ prose: 3, table: 1, hidden: 0, total: 4 });
    expect(byTag[FACE].facts).toEqual({ prose: 4, table: 0, hidden: 1, total: 5 });
    expect(byTag[LINE].facts).toEqual({ prose: 7, table: 0, hidden: 0, total: 7 });
    expect(byTag[SPREAD].facts).toEqual({ prose: 1, table: 0, hidden: 0, total: 1 });
    for (const t of summary.reconciliation.targets) {
      expect(t.lost_total).toBe(0);
      expect(t.labelled).toBe(t.facts.prose);
      expect(t.written + t.duplicate + t.in_train + t.lost.label_conflict).toBe(t.labelled);
    }
    expect(byTag[LINE].written).toBe(2); // COMMON once, and co5's own sentence
    expect(byTag[RATE].written + byTag[RATE].duplicate).toBe(3);
    const counts = (tag: string) => SPLITS.reduce((n, s) => n + info.splits[s].label_counts[`B-${tag}`], 0);
    expect(counts(FACE)).toBe(4);
    expect(Object.values(byTag[FACE].sentences).reduce((a, b) => a + b, 0)).toBe(4);
    expect(info.reconciliation.filings.find((f: any) => f.source === 'co2.htm.gz').facts[FACE]).toEqual({ prose: 0, table: 0, hidden: 1 });
  });

  it('writes the same bytes whatever the order of the inputs', async () => {
    const files = Object.keys(CORPUS).map((k) => join(corpus, k)).reverse();
    const again = join(tempDir('finer-ixbrl-out-'), 'ds');
    await buildIxbrlDataset(files, { ...OPTIONS, out: again });
    for (const name of ['train.jsonl', 'validation.jsonl', 'test.jsonl']) {
      expect(readFileSync(join(again, name), 'utf8')).toBe(readFileSync(join(out, name), 'utf8'));
    }
  });

  it('by default (dedupe "filing") keeps a sentence repeated in other filings of the split, but still none seen in train', async () => {
    const again = join(tempDir('finer-ixbrl-out-'), 'ds');
    const { dedupe: _strict, ...defaults } = OPTIONS;
    const result = await buildIxbrlDataset([corpus], { ...defaults, out: again });
    const d = result.reconciliation.dropped_sentences;
    expect(d.duplicate).toEqual({ train: 0, validation: 0, test: 0 });
    const again_ = Object.fromEntries(SPLITS.map((s) => [s, readLines(again, s)]));
    expect(again_.train.filter((l) => l.tokens[4] === 'revolving')).toHaveLength(info.splits.train.files.length);
    const train = new Set(again_.train.map((l) => l.tokens.join(' ')));
    for (const l of [...again_.validation, ...again_.test]) expect(train.has(l.tokens.join(' '))).toBe(false);
    expect(JSON.parse(readFileSync(join(again, 'dataset_info.json'), 'utf8')).options.dedupe).toBe('filing');
  });

  it('with allSentences keeps untagged prose sentences too', async () => {
    const all = join(tempDir('finer-ixbrl-out-'), 'ds');
    await buildIxbrlDataset([corpus], { ...OPTIONS, allSentences: true, out: all });
    const texts = SPLITS.flatMap((s) => readLines(all, s)).map((l) => l.tokens.join(' '));
    expect(texts).toContain('Revenue grew by 5 % in 2022 .');
    expect(texts).toContain('Registrant : Delta Holdings , Inc.');
  });
});

describe('buildIxbrlDataset with a sentence repeated under other labels', () => {
  it('keeps the copy with the most labelled words and counts the target facts of the other copies', async () => {
    const corpus = tempDir('finer-ixbrl-');
    const note = (name: string) => `On April 1 the Company issued a <ix:nonFraction name="us-gaap:${name}" contextRef="c1">5</ix:nonFraction>% note.`;
    const face = `On April 1 the Company issued a ${fact(RATE, '5')}% note for $${fact(FACE, '200')}.`;
    const faceUntagged = 'On April 1 the Company issued a ' + fact(RATE, '5') + '% note for $200.';
    await writeFiling(join(corpus, 'a.htm'), { cik: '1', paragraphs: [note('DebtInstrumentInterestRateEffectivePercentage'), note(RATE), faceUntagged, face] });
    const out = join(tempDir('finer-ixbrl-out-'), 'ds');
    const summary = await buildIxbrlDataset([corpus], { ...OPTIONS, out });
    const kept = readLines(out, 'train');
    expect(kept.map((l) => l.ner_tags.filter((t) => t !== 0).length)).toEqual([1, 2]);
    // a tie keeps the first copy: the RATE fact of the second note is lost
    expect(kept[0].ner_tags).toContain(finerBId('DebtInstrumentInterestRateEffectivePercentage'));
    const rate = summary.reconciliation.targets.find((t) => t.tag === RATE)!;
    // in the $200 pair the copy with two labels wins, and the word at the other copy's
    // RATE fact carries the same label there, so that fact is a plain duplicate
    expect([rate.written, rate.duplicate, rate.lost.label_conflict]).toEqual([1, 1, 1]);
    expect(rate.lost_total).toBe(1);
    expect(summary.reconciliation.dropped_sentences.duplicate.train).toBe(2);
  });
});

describe('buildIxbrlDataset with two filings of the same file name', () => {
  it('names each by its path, and reads a file given twice once', async () => {
    const corpus = tempDir('finer-ixbrl-');
    await writeFiling(join(corpus, 'MMM', 'primary-document.html'), CORPUS['co3.htm']);
    await writeFiling(join(corpus, 'ABT', 'primary-document.html'), CORPUS['co5.html']);
    const out = join(tempDir('finer-ixbrl-out-'), 'ds');
    const summary = await buildIxbrlDataset([corpus, `${corpus}/MMM/../MMM/primary-document.html`], { ...OPTIONS, out });
    expect(summary.filings.map((f) => f.source).sort()).toEqual([
      join(corpus, 'ABT', 'primary-document.html'),
      join(corpus, 'MMM', 'primary-document.html'),
    ]);
  });
});

describe('buildIxbrlDataset on bad input', () => {
  it('fails on a truncated .gz, naming it, and leaves the previous output untouched', async () => {
    const corpus = tempDir('finer-ixbrl-');
    await writeFiling(join(corpus, 'a.htm'), CORPUS['co3.htm']);
    await writeTruncatedGz(join(corpus, 'b.htm.gz'), CORPUS['co5.html']);
    const parent = tempDir('finer-ixbrl-out-');
    const out = join(parent, 'ds');
    await mkdir(out);
    writeFileSync(join(out, 'keep.txt'), 'old');
    const err = await buildIxbrlDataset([corpus], { ...OPTIONS, out, force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(/b\.htm\.gz: cannot read: truncated or corrupt gzip data/);
    expect(readdirSync(parent)).toEqual(['ds']);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('skips a plain HTML file in a folder with a warning, but refuses it as the only input', async () => {
    const corpus = tempDir('finer-ixbrl-');
    await writeFiling(join(corpus, 'a.htm'), CORPUS['co3.htm']);
    await writeFiling(join(corpus, 'plain.html'), '<html><body><p>No facts at all, $5 million.</p></body></html>');
    const warnings: string[] = [];
    const out = join(tempDir('finer-ixbrl-out-'), 'ds');
    const summary = await buildIxbrlDataset([corpus], { ...OPTIONS, out, onWarning: (w) => warnings.push(w) });
    expect(summary.skipped.map((s) => basename(s.path))).toEqual(['plain.html']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plain\.html: no inline XBRL facts .*skipped/);
    await expect(buildIxbrlDataset([join(corpus, 'plain.html')], { ...OPTIONS, out })).rejects.toThrow(/plain\.html: no inline XBRL facts/);
  });

  it('refuses to write an empty dataset', async () => {
    const corpus = tempDir('finer-ixbrl-');
    await writeFiling(join(corpus, 'a.htm'), { cik: '9', paragraphs: ['Nothing tagged here.'] });
    const out = join(tempDir('finer-ixbrl-out-'), 'ds');
    await expect(buildIxbrlDataset([corpus], { ...OPTIONS, out })).rejects.toThrow(/nothing to write/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('assemble: one default dedupe scope', () => {
  const sentence = (key: string): SentenceRecord => ({ key, words: 3, labelled: 0, tags: '', targetFacts: [] });
  const filing = (source: string, keys: string[]): FilingRecord => ({ source, path: `/in/${source}`, company: 'c1', sentences: keys.map(sentence), spill: '', places: [], fates: [] });

  it("is 'filing', as in the build, dataset_info.json and the CLI: a company's repeat in its next filing stays, one within a filing goes", () => {
    const filings = [filing('a-2021.htm', ['same', 'twice', 'twice']), filing('a-2022.htm', ['same'])];
    const split = new Map([['c1', 'train' as const]]);
    const byDefault = assemble(filings, split);
    expect(byDefault.splits.train.map((k) => `${k.filing.source}:${k.sentence.key}`)).toEqual(['a-2021.htm:same', 'a-2021.htm:twice', 'a-2022.htm:same']);
    expect(byDefault.dropped.duplicate.train).toBe(1);
    expect(assemble(filings, split, 'split').splits.train).toHaveLength(2);
    expect(DEFAULT_DEDUPE_SCOPE).toBe('filing'); // the constant build.ts, write.ts and the CLI's --dedupe default use
  });
});
