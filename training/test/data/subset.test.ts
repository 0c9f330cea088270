import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS, SUBSET_LABELS, finerIId } from '@finer-lens/core/ner/labels.ts';
import { writeSubset } from '../../src/data/subset.ts';
import { FinerError } from '../../src/util/errors.ts';
import { sentence, tempDir, writeJsonlDataset, writeParquet } from './fixtures.ts';

const readJsonl = (path: string) =>
  readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

const I_FACE = finerIId('DebtInstrumentFaceAmount')!; // 38

describe('finer subset', () => {
  it('keeps sentences with one of the four, maps the rest to O, renumbers 41/87/34/37 to 1..4', async () => {
    const dir = tempDir();
    const out = join(tempDir(), 'subset');
    await writeJsonlDataset(
      dir,
      {
        train: [
          sentence('keep', [41, 87, 0, 34, 37, 100, I_FACE], { source: 'f.htm', start: 10, end: 52 }),
          sentence('drop-other-tags', [100, 101, I_FACE]),
          sentence('drop-o', [0, 0]),
        ],
        test: [sentence('keep2', [0, 37])],
      },
      { label_names: FINER139_LABELS, provenance: { built_from: 'ixbrl', filings: 3 } },
    );
    const counts = await writeSubset(dir, out);

    expect(readJsonl(join(out, 'train.jsonl'))).toEqual([
      { id: 'keep', tokens: ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6'], ner_tags: [1, 2, 0, 3, 4, 0, 0], source: 'f.htm', start: 10, end: 52 },
    ]);
    expect(readJsonl(join(out, 'test.jsonl')).map((s) => s.ner_tags)).toEqual([[0, 4]]);
    expect(counts.train).toEqual({ inputSentences: 3, ignoredWords: 0, sentences: 1, negatives: 0, prose: 0, repeatWords: 0, tokens: 7, labelTokens: [3, 1, 1, 1, 1] });

    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    expect(info.label_names).toEqual(SUBSET_LABELS);
    expect(info.provenance).toEqual({ built_from: 'ixbrl', filings: 3 });
    expect(info.splits.test).toMatchObject({ sentences: 1, input_sentences: 1, tokens: 2 });
    expect(existsSync(join(out, 'validation.jsonl'))).toBe(false);
  });

  it('--negatives R keeps R sentences with only other tags per target sentence, a seeded sample, never all-O ones', async () => {
    const dir = tempDir();
    const train = [
      sentence('t1', [41, 0]), sentence('t2', [0, 37]),
      ...Array.from({ length: 10 }, (_, i) => sentence(`other${i}`, [100, 0])),
      ...Array.from({ length: 10 }, (_, i) => sentence(`o${i}`, [0, 0])),
    ];
    await writeJsonlDataset(dir, { train, test: [sentence('t3', [87]), sentence('n', [5])] }, { label_names: FINER139_LABELS });
    const run = async (seed: number) => {
      const out = join(tempDir(), 'neg');
      const counts = await writeSubset(dir, out, { negatives: 1.5, seed });
      return { counts, ids: readJsonl(join(out, 'train.jsonl')).map((s) => s.id as string), test: readJsonl(join(out, 'test.jsonl')) };
    };
    const a = await run(1);
    // 2 targets x 1.5 = 3 negatives in train; 1 x 1.5 rounds to 2 but only 1 candidate in test
    expect(a.counts.train).toMatchObject({ sentences: 5, negatives: 3 });
    expect(a.ids.filter((id) => id.startsWith('t'))).toEqual(['t1', 't2']);
    expect(a.ids.filter((id) => id.startsWith('other'))).toHaveLength(3);
    expect(a.ids.some((id) => /^o\d/.test(id))).toBe(false);
    expect(a.test.map((s) => [s.id, s.ner_tags])).toEqual([['t3', [2]], ['n', [0]]]);
    expect((await run(1)).ids).toEqual(a.ids);
    const others = new Set<string>();
    for (const seed of [2, 3, 4, 5]) (await run(seed)).ids.forEach((id) => others.add(id));
    expect(others.size).toBeGreaterThan(5); // different seeds pick different negatives
  });

  it('--prose R / --prose-debt D keep R untagged prose sentences with a digit and no debt words (D with debt words) per target sentence, their repeats left out of the loss or weak labels', async () => {
    const dir = tempDir();
    const words = (id: string, tokens: string[], tags = tokens.map(() => 0), extra: Record<string, unknown> = {}) => ({ id, tokens, ner_tags: tags, ...extra });
    const train = [
      words('t1', ['notes', 'of', '500'], [0, 0, 37]),
      words('t2', ['at', '5.25', '%'], [0, 41, 0]),
      ...Array.from({ length: 4 }, (_, i) => words(`other${i}`, ['x', '7'], [0, 100])),
      ...Array.from({ length: 6 }, (_, i) => words(`margin${i}`, ['margin', 'of', `2${i}`, '%'])),
      ...Array.from({ length: 6 }, (_, i) => words(`debt${i}`, ['our', '$', '500', 'million', 'notes'], undefined, { repeats: [[2, 4]] })),
      ...Array.from({ length: 6 }, (_, i) => words(`nodigit${i}`, ['no', 'number', 'here'])),
    ];
    await writeJsonlDataset(dir, { train }, { label_names: FINER139_LABELS });
    const run = async (opts: Parameters<typeof writeSubset>[2]) => {
      const out = join(tempDir(), 'prose');
      const counts = await writeSubset(dir, out, { seed: 5, ...opts });
      return { counts, lines: readJsonl(join(out, 'train.jsonl')), info: JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8')) };
    };
    const withNeg = await run({ negatives: 1 });
    const all = await run({ negatives: 1, prose: 1, proseDebt: 1 });
    // the negatives' sample does not move when prose sentences are added
    const negIds = (lines: Record<string, unknown>[]) => lines.map((l) => l.id as string).filter((id) => id.startsWith('other'));
    expect(negIds(all.lines)).toEqual(negIds(withNeg.lines));
    expect(all.counts.train).toMatchObject({ sentences: 2 + 2 + 4, negatives: 2, prose: 4 });
    const prose = all.lines.filter((l) => /^(margin|debt)/.test(l.id as string));
    expect(prose).toHaveLength(4);
    expect(all.lines.some((l) => (l.id as string).startsWith('nodigit'))).toBe(false);
    for (const l of prose) {
      expect(l.ner_tags).toEqual((l.tokens as string[]).map(() => 0));
      expect(l.ignore).toEqual((l.id as string).startsWith('debt') ? [2] : undefined);
    }
    expect(all.counts.train!.repeatWords).toBe(prose.filter((l) => (l.id as string).startsWith('debt')).length);
    expect(prose.filter((l) => (l.id as string).startsWith('debt'))).toHaveLength(2);
    expect(all.info.subset).toMatchObject({ prose: 1, prose_debt: 1, repeats: 'ignore' });

    const noDebt = await run({ prose: 2 });
    expect(noDebt.lines.map((l) => l.id as string).filter((id) => !id.startsWith('t')).every((id) => id.startsWith('margin'))).toBe(true);
    expect(noDebt.counts.train!.prose).toBe(4);

    const labelled = await run({ proseDebt: 100, repeats: 'label' });
    const debt = labelled.lines.filter((l) => (l.id as string).startsWith('debt'));
    expect(debt).toHaveLength(6);
    for (const l of debt) expect([l.ner_tags, l.ignore]).toEqual([[0, 0, 4, 0, 0], undefined]);

    await writeJsonlDataset(dir, { train: [words('t', ['500'], [37]), words('bad', ['9'], [0], { repeats: [[5, 4]] })] }, { label_names: FINER139_LABELS });
    await expect(run({ prose: 1 })).rejects.toThrow(/sentence bad: field "repeats" = \[\[5,4\]\]; expected \[word index, type id 1..4\] pairs/);
  });

  it('reads parquet folders, and a subset of the subset is the same dataset', async () => {
    const dir = tempDir();
    const rows = [sentence('a', [0, 87]), sentence('b', [5]), sentence('c', [34, 0])];
    await writeParquet(join(dir, 'validation', '0000.parquet'), rows, { rowGroupSize: 1 });
    const once = join(tempDir(), 'once');
    const twice = join(tempDir(), 'twice');
    await writeSubset(dir, once);
    expect(readJsonl(join(once, 'validation.jsonl')).map((s) => [s.id, s.ner_tags])).toEqual([['a', [0, 2]], ['c', [3, 0]]]);
    await writeSubset(once, twice);
    expect(readFileSync(join(twice, 'validation.jsonl'), 'utf8')).toBe(readFileSync(join(once, 'validation.jsonl'), 'utf8'));
  });

  it('leaves no output folder when a line is bad, and rejects label sets without the four', async () => {
    const dir = tempDir();
    const out = join(tempDir(), 'subset');
    await writeJsonlDataset(dir, { train: [sentence('a', [41]), sentence('b', [0, 999])] });
    await expect(writeSubset(dir, out)).rejects.toThrow(/train\.jsonl:2: field "ner_tags"\[1\] = 999/);
    expect(existsSync(out)).toBe(false);

    await writeJsonlDataset(dir, { train: [sentence('a', [1])] }, { label_names: ['O', 'B-Other'] });
    const err = await writeSubset(dir, out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(/none of the 4 subset labels .* is among its 2 label names/);
    expect(existsSync(out)).toBe(false);
  });

  it('--near-miss TYPE keeps its B- label as a class O-<type> after the four, on the same sentences; a type it does not hold, one of the four, or one given twice is refused', async () => {
    const dir = tempDir();
    const labels = ['O', 'B-DebtInstrumentFaceAmount', 'I-DebtInstrumentFaceAmount', 'B-LongTermDebt', 'I-LongTermDebt', 'B-LineOfCredit', 'B-Goodwill'];
    const train = [sentence('t', [1, 2, 3, 4, 5, 6]), ...Array.from({ length: 6 }, (_, i) => sentence(`n${i}`, [0, i % 2 ? 3 : 5, 6]))];
    await writeJsonlDataset(dir, { train }, { label_names: labels });
    const plain = join(tempDir(), 'plain');
    const near = join(tempDir(), 'near');
    await writeSubset(dir, plain, { negatives: 2, seed: 3 });
    const counts = await writeSubset(dir, near, { negatives: 2, seed: 3, nearMiss: ['LineOfCredit', 'LongTermDebt'] });
    const a = readJsonl(join(plain, 'train.jsonl'));
    const b = readJsonl(join(near, 'train.jsonl'));
    expect(b.map((s) => s.id)).toEqual(a.map((s) => s.id));
    expect(b.map((s) => s.id)).toHaveLength(3);
    expect(b[0]).toMatchObject({ id: 't', ner_tags: [4, 0, 6, 0, 5, 0] });
    for (const s of b.slice(1)) expect((s.ner_tags as number[]).slice(1)).toEqual([String(s.id).endsWith('1') || String(s.id).endsWith('3') || String(s.id).endsWith('5') ? 6 : 5, 0]);
    const tally = [0, 0, 0, 0, 0, 0, 0];
    for (const s of b) for (const t of s.ner_tags as number[]) tally[t]!++;
    expect(counts.train!.labelTokens).toEqual(tally);
    expect([tally[4], tally[5]! + tally[6]!]).toEqual([1, 4]); // t: one face, one of each near miss; each negative: one near miss
    const info = JSON.parse(readFileSync(join(near, 'dataset_info.json'), 'utf8'));
    expect(info.label_names).toEqual([...SUBSET_LABELS, 'O-LineOfCredit', 'O-LongTermDebt']);
    expect(info.subset.near_miss).toEqual(['LineOfCredit', 'LongTermDebt']);

    await expect(writeSubset(dir, join(tempDir(), 'x'), { nearMiss: ['Nope'] })).rejects.toThrow(
      new FinerError(`--near-miss Nope: no label B-Nope among the 7 label names of ${dir} (from dataset_info.json)`),
    );
    await expect(writeSubset(dir, join(tempDir(), 'y'), { nearMiss: ['DebtInstrumentFaceAmount'] })).rejects.toThrow(/--near-miss DebtInstrumentFaceAmount: one of the 4 entity types/);
    await expect(writeSubset(dir, join(tempDir(), 'z'), { nearMiss: ['Goodwill', 'Goodwill'] })).rejects.toThrow(/--near-miss Goodwill: given twice/);
  });

  it('refuses to write a dataset whose train split is empty or holds none of the four, as finer ixbrl refuses an empty result', async () => {
    const empty = tempDir();
    await writeJsonlDataset(empty, { train: [], test: [sentence('t', [41])] }, { label_names: FINER139_LABELS });
    const out = join(tempDir(), 'subset');
    await expect(writeSubset(empty, out)).rejects.toThrow(
      new FinerError(`${empty}: nothing to write: its train split is empty; expected a FiNER-139 dataset with sentences of ${SUBSET_LABELS.slice(1).join(', ')}`),
    );
    const others = tempDir();
    await writeJsonlDataset(others, { train: [sentence('o', [100, 0]), sentence('n', [0])] }, { label_names: FINER139_LABELS });
    await expect(writeSubset(others, out, { negatives: 2 })).rejects.toThrow(/: nothing to write: none of the 2 sentences of its train split holds one of the 4 labels; expected/);
    expect(existsSync(out)).toBe(false);
    // a folder without a train split: refused only when no split holds one
    const testOnly = tempDir();
    await writeJsonlDataset(testOnly, { test: [sentence('o', [100])] }, { label_names: FINER139_LABELS });
    await expect(writeSubset(testOnly, out)).rejects.toThrow(/: nothing to write: none of the 1 sentences of its splits holds one of the 4 labels; expected/);
    await writeJsonlDataset(testOnly, { test: [sentence('t', [41])] }, { label_names: FINER139_LABELS });
    expect((await writeSubset(testOnly, out)).test).toMatchObject({ sentences: 1 });
  });
});
