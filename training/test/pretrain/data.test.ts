/**
 * The pretraining data path: train.jsonl -> encoded corpus -> packed rows ->
 * whole-word masks -> a masked batch.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAS_DIGIT, readCorpus, WORD_START, type Corpus } from '../../src/pretrain/corpus.ts';
import { EpochRows, rowsPerEpoch, SPECIAL, type PackedRow } from '../../src/pretrain/packing.ts';
import { maskedBatch, maskRow, wordsOfRow, type MaskingOptions, type MaskVocab } from '../../src/pretrain/masking.ts';
import { FinerError } from '../../src/util/errors.ts';
import { FILLER, prose, tokenizer, writeCorpusFolder } from './fixtures.ts';

const specials = { cls: tokenizer.cls, sep: tokenizer.sep };
const vocab: MaskVocab = {
  mask: tokenizer.mask!, pad: tokenizer.pad, size: tokenizer.size,
  specials: new Set([tokenizer.pad, tokenizer.unk, tokenizer.cls, tokenizer.sep, tokenizer.mask!]),
};

async function corpusOf(lines: readonly object[], extra: string[] = []): Promise<{ corpus: Corpus; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
  await writeCorpusFolder(dir, lines, extra);
  return { corpus: await readCorpus(dir, tokenizer), dir };
}

/** Sentence k of the corpus as ids. */
const sentence = (c: Corpus, k: number): number[] => Array.from(c.ids.subarray(c.starts[k]!, c.starts[k + 1]!));

describe('readCorpus', () => {
  it('encodes train.jsonl only, with word starts, digit words, documents, and lines without a sub-token skipped', async () => {
    const lines = [
      { id: 'a', tokens: ['wa', '1,250', 'rate'], source: 'x.htm' },
      { id: 'b', tokens: ['\u200b'], source: 'x.htm' }, // a zero-width space: no sub-token
      { id: 'c', tokens: ['wb', '7.5'], source: 'x.htm' },
      { id: 'd', tokens: ['amount'], source: 'y.htm' },
      { id: 'e', tokens: ['wc'] }, // no source: a document of its own
    ];
    const { corpus, dir } = await corpusOf(lines);
    const id = (t: string) => tokenizer.vocab.get(t)!;
    expect(sentence(corpus, 0)).toEqual([id('wa'), id('1'), id(','), id('2'), id('##5'), id('##0'), id('rate')]);
    expect(Array.from(corpus.flags.subarray(0, 7))).toEqual([
      WORD_START, WORD_START | HAS_DIGIT, HAS_DIGIT, HAS_DIGIT, HAS_DIGIT, HAS_DIGIT, WORD_START,
    ]);
    expect(sentence(corpus, 1)).toEqual([id('wb'), id('7'), id('.'), id('5')]);
    expect(Array.from(corpus.starts)).toEqual([0, 7, 11, 12, 13]);
    expect(Array.from(corpus.docStarts)).toEqual([0, 2, 3, 4]); // x.htm (a, c), y.htm, the line without a source
    expect(corpus.source).toMatchObject({
      path: join(dir, 'train.jsonl'), split: 'train', splitBy: 'company', sentences: 4, subTokens: 13, documents: 3, skipped: 1,
    });
    expect(corpus.source.note).toMatch(/train\.jsonl only; the folder is split by company/);
    const again = await corpusOf(lines);
    expect(again.corpus.source.fingerprint).toBe(corpus.source.fingerprint);
    expect((await corpusOf(lines.slice(1))).corpus.source.fingerprint).not.toBe(corpus.source.fingerprint);
  });

  it('reads at most --max-sentences sentences', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
    await writeCorpusFolder(dir, prose(5, 1));
    expect((await readCorpus(dir, tokenizer, { maxSentences: 7 })).source.sentences).toBe(7);
  });

  it('names the file (and line) of a folder without train.jsonl or a bad line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
    await expect(readCorpus(join(dir, 'nothing'), tokenizer)).rejects.toThrow(`${join(dir, 'nothing')}: no such dataset folder`);
    await expect(readCorpus(dir, tokenizer)).rejects.toThrow(`${join(dir, 'train.jsonl')}: no such file; expected the train split of a dataset folder`);
    const bad = await mkdtemp(join(tmpdir(), 'corpus-'));
    await writeCorpusFolder(bad, prose(1, 1), ['{"id": "z", "tokens": "wa wb"}']);
    const err = await readCorpus(bad, tokenizer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(new RegExp(`^${join(bad, 'train.jsonl')}:\\d+: field "tokens" = "wa wb"; expected an array of strings$`));
    const unreadable = await mkdtemp(join(tmpdir(), 'corpus-'));
    await mkdir(join(unreadable, 'train.jsonl'));
    await expect(readCorpus(unreadable, tokenizer)).rejects.toThrow(new FinerError(`${join(unreadable, 'train.jsonl')}: cannot read JSONL (EISDIR)`));
  });
});

describe('packed rows', () => {
  it('cut the stream [CLS] s1 [SEP] s2 [SEP] ... into full rows, each sentence once, documents kept together', async () => {
    const lines = prose(12, 3);
    lines[5]!.tokens = Array.from({ length: 40 }, (_, i) => FILLER[i % 30]!); // longer than a row: split across rows
    const { corpus } = await corpusOf(lines);
    const L = 24;
    const rows = new EpochRows(corpus, L, specials, 7, 0);
    expect(rows.count).toBe(rowsPerEpoch(corpus, L));
    const all = Array.from({ length: rows.count }, (_, k) => rows.row(k));
    const byIndex = [...all].sort((a, b) => a.index - b.index);
    expect(byIndex.map((r) => r.index)).toEqual(Array.from({ length: rows.count }, (_, i) => i));
    expect(all.map((r) => r.index)).not.toEqual(byIndex.map((r) => r.index)); // the rows are served shuffled
    for (const r of byIndex.slice(0, -1)) expect(r.ids.length).toBe(L); // no padding but in the last row
    for (const r of all) {
      expect(r.ids[0]).toBe(tokenizer.cls);
      expect(r.flags[0]).toBe(SPECIAL);
    }
    // the stream back: rows in stream order without their [CLS], cut at [SEP]
    const stream = byIndex.flatMap((r) => Array.from(r.ids.subarray(1)));
    const pieces: number[][] = [[]];
    for (const id of stream) {
      if (id === tokenizer.sep) pieces.push([]);
      else pieces.at(-1)!.push(id);
    }
    if (pieces.at(-1)!.length === 0) pieces.pop();
    const expected = Array.from({ length: corpus.starts.length - 1 }, (_, k) => sentence(corpus, k).join(' '));
    expect(pieces.map((p) => p.join(' ')).sort()).toEqual([...expected].sort());
    // a document's sentences follow each other in their order
    const at = pieces.map((p) => expected.indexOf(p.join(' ')));
    for (let d = 0; d < corpus.docStarts.length - 1; d++) {
      const first = at.indexOf(corpus.docStarts[d]!);
      for (let s = corpus.docStarts[d]! + 1; s < corpus.docStarts[d + 1]!; s++) expect(at[first + s - corpus.docStarts[d]!]).toBe(s);
    }
  });

  it('are a pure function of (seed, epoch): the same twice, another order in another epoch', async () => {
    const { corpus } = await corpusOf(prose(10, 4));
    const ids = (e: number, seed = 7) => {
      const rows = new EpochRows(corpus, 16, specials, seed, e);
      return Array.from({ length: rows.count }, (_, k) => Array.from(rows.row(k).ids).join(','));
    };
    expect(ids(0)).toEqual(ids(0));
    expect(ids(1)).not.toEqual(ids(0));
    expect(ids(0, 8)).not.toEqual(ids(0));
  });
});

/** Rows of one long corpus for the masking statistics. */
async function manyRows(): Promise<PackedRow[]> {
  const { corpus } = await corpusOf(prose(400, 5));
  const rows = new EpochRows(corpus, 64, specials, 1, 0);
  return Array.from({ length: rows.count }, (_, k) => rows.row(k));
}

describe('whole-word masking', () => {
  const opts: MaskingOptions = { maskRate: 0.15, numberMaskRate: 0.5, seed: 3 };

  it('masks ~15% of words and ~50% of number words, whole words only, never a special, 80/10/10', async () => {
    const rows = await manyRows();
    let words = 0;
    let picked = 0;
    let numberWords = 0;
    let numbersPicked = 0;
    const how = { mask: 0, random: 0, same: 0 };
    for (const row of rows) {
      const m = maskRow(row, opts, vocab);
      const at = new Set(m.positions);
      expect(m.positions).toEqual([...m.positions].sort((a, b) => a - b));
      m.positions.forEach((p, k) => {
        expect(row.flags[p]! & SPECIAL).toBe(0);
        expect(m.labels[k]).toBe(row.ids[p]);
      });
      for (const [start, end] of wordsOfRow(row)) {
        const inside = Array.from({ length: end - start }, (_, i) => at.has(start + i));
        expect(new Set(inside).size, 'a word is masked whole or not at all').toBe(1);
        const digit = (row.flags[start]! & HAS_DIGIT) !== 0;
        words++;
        if (digit) numberWords++;
        if (!inside[0]) {
          for (let i = start; i < end; i++) expect(m.input[i]).toBe(row.ids[i]);
          continue;
        }
        picked++;
        if (digit) numbersPicked++;
        const fed = Array.from({ length: end - start }, (_, i) => m.input[start + i]!);
        if (fed.every((x) => x === vocab.mask)) how.mask++;
        else if (fed.every((x, i) => x === row.ids[start + i])) how.same++;
        else {
          how.random++;
          expect(fed.some((x) => vocab.specials.has(x))).toBe(false);
        }
      }
    }
    expect(words).toBeGreaterThan(4000);
    const otherWords = words - numberWords;
    expect((picked - numbersPicked) / otherWords).toBeGreaterThan(0.13);
    expect((picked - numbersPicked) / otherWords).toBeLessThan(0.18);
    expect(numbersPicked / numberWords).toBeGreaterThan(0.45);
    expect(numbersPicked / numberWords).toBeLessThan(0.55);
    expect(how.mask / picked).toBeGreaterThan(0.75);
    expect(how.mask / picked).toBeLessThan(0.85);
    expect(how.random / picked).toBeGreaterThan(0.06);
    expect(how.same / picked).toBeGreaterThan(0.06); // a random token can equal the original: "same" is a little over 10%
  });

  it('is a pure function of (seed, epoch, row), and every row predicts something', async () => {
    const rows = (await manyRows()).slice(0, 50);
    const draw = (epoch: number, seed = 3) => rows.map((r) => maskRow({ ...r, epoch }, { ...opts, seed }, vocab));
    expect(draw(0)).toEqual(draw(0));
    expect(draw(1)).not.toEqual(draw(0));
    expect(draw(0, 4)).not.toEqual(draw(0));
    const rare = rows.map((r) => maskRow(r, { maskRate: 1e-9, numberMaskRate: 1e-9, seed: 3 }, vocab));
    for (const m of rare) expect(m.positions.length).toBeGreaterThan(0);
  });

  it('builds a batch: rows padded to the longest, flat masked positions with the original ids', async () => {
    const all = await manyRows();
    const short: PackedRow = { ids: all[0]!.ids.slice(0, 9), flags: all[0]!.flags.slice(0, 9), epoch: 2, index: 9999 };
    const rows = [all[1]!, short];
    const b = maskedBatch(rows, opts, vocab);
    expect([b.batchSize, b.seqLen]).toEqual([2, 64]);
    expect(Array.from(b.attentionMask.subarray(64, 128)).map(Number)).toEqual([...Array(9).fill(1), ...Array(55).fill(0)]);
    expect(Array.from(b.inputIds.subarray(64 + 9, 128)).every((x) => x === BigInt(vocab.pad))).toBe(true);
    const [m0, m1] = rows.map((r) => maskRow(r, opts, vocab));
    expect(Array.from(b.maskedPositions).map(Number)).toEqual([...m0!.positions, ...m1!.positions.map((p) => 64 + p)]);
    expect(Array.from(b.maskedLabels).map(Number)).toEqual([...m0!.labels, ...m1!.labels]);
    expect(Array.from(b.inputIds.subarray(0, 64)).map(Number)).toEqual(Array.from(m0!.input));
  });
});
