import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS, SUBSET_LABELS, finerBId } from '@finer-lens/core/ner/labels.ts';
import type { InputBatch } from '@finer-lens/core/ner/tagger.ts';
import { checkEntity, sigmoid, linear } from '@finer-lens/core/ner/verifier.ts';
import { buildVerifier, parseRules, pickFilings } from '../../src/verifier/command.ts';
import { readVerifier } from '../../src/verifier/read.ts';
import { LOGISTIC_DEFAULTS, crossValidateCut, fitCut, scoreWith, sentenceExamples, trainLogistic, type VerifierExample } from '../../src/verifier/train.ts';
import { evaluateWholeDocuments } from '../../src/eval/whole-doc.ts';
import type { DenseSet } from '../../src/eval/data.ts';
import type { ModelFolder } from '../../src/infer/model-folder.ts';
import { WordPiece } from '../../src/tokenizer/wordpiece.ts';
import { defaultConfig } from '../../src/model/config.ts';
import { writeJsonlDataset } from '../data/fixtures.ts';

const FACE = 'DebtInstrumentFaceAmount';
const RATE = 'DebtInstrumentInterestRateStatedPercentage';
const SPREAD = 'DebtInstrumentBasisSpreadOnVariableRate1';
const WORDS = ['our', 'notes', 'of', '500', 'suite', '300', 'page', '12', 'at', '5', '%', 'interest', 'gross', 'margin'];
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...WORDS];
const encoder = WordPiece.fromVocabText(VOCAB.join('\n'), 'test vocab');
const labels = [...SUBSET_LABELS];
const folder: ModelFolder = { dir: '/nonexistent', name: 'fake', config: defaultConfig({ vocab_size: VOCAB.length }), labels, encoder, window: { maxLength: 32, stride: 8 } };

/** A model that tags every number: 500, 300 and 12 as face amounts, 5 as a rate, all with the same score. */
const TAGS: Record<string, number> = { '500': 4, '300': 4, '12': 4, '5': 1 };
const run = async (b: InputBatch) => {
  const out = new Float32Array(b.batchSize * b.seqLen * labels.length);
  for (let i = 0; i < b.batchSize * b.seqLen; i++) out[i * labels.length + (TAGS[VOCAB[Number(b.inputIds[i])]!] ?? 0)] = 4;
  return out;
};
const B = (tag: string) => finerBId(tag)!;
const p = (label: string, score = 0.9) => ({ label, score });

describe('sentenceExamples', () => {
  const words = 'our notes of 500 at 5 % interest'.split(' ');
  const pred = words.map(() => p('O'));
  pred[3] = p(`B-${FACE}`, 0.8);
  pred[5] = p(`B-${RATE}`);
  it('in a tagged sentence, an entity is right when the filer tagged that word with that type', () => {
    const gold = words.map(() => 'O');
    gold[3] = `B-${FACE}`;
    gold[5] = `B-${FACE}`; // the filer says face amount; the model says rate: wrong
    const ex = sentenceExamples(words, pred, gold, new Set([5]), [RATE, FACE]);
    expect(ex.map((e) => e.y)).toEqual([1, 0]);
    expect(ex[0]!.features.get('1|sc')).toBe(0.8); // FACE is type 1 of the list
    expect(ex[1]!.features.get('0|-1:at')).toBe(1);
  });
  it('in an untagged sentence, an entity is right when it repeats a target value of the filing', () => {
    expect(sentenceExamples(words, pred, undefined, new Set([3]), [RATE, FACE]).map((e) => e.y)).toEqual([1, 0]);
    expect(sentenceExamples(words, pred, undefined, new Set(), [FACE]).map((e) => e.y)).toEqual([0]); // types it was not asked for are left out
  });
});

describe('trainLogistic', () => {
  const ex = (names: string[], y: 0 | 1): VerifierExample => ({ features: new Map([['b', 1], ...names.map((n) => [n, 1] as [string, number])]), y });
  const data = [...Array(30)].flatMap(() => [ex(['x'], 1), ex(['z'], 0), ex(['x', 'z'], 1)]);
  it('learns which features make an entity right, the same way for the same seed', () => {
    const o = { ...LOGISTIC_DEFAULTS, epochs: 40 };
    const w = trainLogistic(data, o);
    expect(sigmoid(linear(w, new Map([['b', 1], ['x', 1]])))).toBeGreaterThan(0.9);
    expect(sigmoid(linear(w, new Map([['b', 1], ['z', 1]])))).toBeLessThan(0.1);
    expect(trainLogistic(data, o)).toEqual(w);
    expect([...w.keys()]).toEqual([...w.keys()].sort());
    expect(trainLogistic(data, { ...o, seed: 2 })).not.toEqual(w);
  });
});

describe('fitCut', () => {
  const s = (text: string, gold: Record<number, string>, pred: Record<number, string>) => {
    const words = text.split(' ');
    return { words, gold: words.map((_, i) => gold[i] ?? 'O'), predictions: words.map((_, i) => (pred[i] ? p(pred[i]!) : p('O'))) };
  };
  const pool = (xs: ReturnType<typeof s>[]) => ({ words: xs.map((x) => x.words), gold: xs.map((x) => x.gold), predictions: xs.map((x) => x.predictions) });
  const weights = { types: [FACE], weights: new Map([['b', 0], ['0|-1:page', -4], ['0|-1:of', 4]]), rules: [] }; // "page 12": 0.018, "of 500": 0.98, others 0.5
  const dev = pool([s('our notes of 500', { 3: `B-${FACE}` }, { 3: `B-${FACE}` }), s('page 12', {}, { 1: `B-${FACE}` })]);
  it('picks the cut of best F1 on the dev set', () => {
    const fit = fitCut(dev, labels, weights, undefined);
    expect(fit.cut).toBe(0.05); // the first cut that drops "page 12" and keeps "of 500"
    expect(checkEntity({ ...weights, ...fit }, ['page', '12'], 1, FACE, 0.9).passes).toBe(false);
  });
  it('keeps only cuts that cost the guard at most its max loss', () => {
    // in the guard, the "suite 300" the check doubts (0.5) is right: any cut above 0.5 would cost it; below, it drops nothing
    const guard = pool([s('suite 300', { 1: `B-${FACE}` }, { 1: `B-${FACE}` })]);
    const d2 = pool([s('our notes of 500', { 3: `B-${FACE}` }, { 3: `B-${FACE}` }), s('suite 300', {}, { 1: `B-${FACE}` })]);
    expect(fitCut(d2, labels, weights, undefined).cut).toBeGreaterThan(0.5);
    expect(fitCut(d2, labels, weights, undefined, { set: guard, maxLoss: 0.01 })).toEqual({ cut: 0, confident: 1.01 });
  });
  it("drops what the rules rule out at every cut, and guards only what the cut costs beyond the rules", () => {
    // a spread the check is sure of (bias 4: 0.98), but "2.75 to 1.00" is a covenant ratio: the rule drops it; the guard's filer tagged one as a spread
    const sure = { types: [SPREAD], weights: new Map([['b', 4], ['0|-1:suite', -8]]), rules: ['ratio' as const] };
    const ratio = (gold: boolean) => s('leverage ratio above 2.75 to 1.00', gold ? { 3: `B-${SPREAD}` } : {}, { 3: `B-${SPREAD}` });
    const d3 = pool([ratio(false), s('LIBOR plus 1.50 %', { 2: `B-${SPREAD}` }, { 2: `B-${SPREAD}` }), s('suite 300', {}, { 1: `B-${SPREAD}` })]);
    const spreadLabels = ['O', `B-${SPREAD}`];
    const fit = fitCut(d3, spreadLabels, sure, undefined, { set: pool([ratio(true)]), maxLoss: 0.01 });
    expect(fit.cut).toBeGreaterThan(0.02); // drops "suite 300" (0.018) although the guard loses its ratio to the rule
    expect(scoreWith(d3, spreadLabels, undefined, { ...sure, ...fit }).micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(scoreWith(d3, spreadLabels, undefined, { ...sure, ...fit, rules: [] }).micro).toMatchObject({ tp: 1, fp: 1, fn: 0 }); // the ratio is sure
  });
});

describe('crossValidateCut', () => {
  const s = (text: string, gold: Record<number, string>, pred: Record<number, string>) => {
    const words = text.split(' ');
    return { words, gold: words.map((_, i) => gold[i] ?? 'O'), predictions: words.map((_, i) => (pred[i] ? p(pred[i]!) : p('O'))) };
  };
  const weights = { types: [FACE], weights: new Map([['b', 0], ['0|-1:page', -4], ['0|-1:of', 4]]), rules: [] }; // "page 12": 0.018, "of 500": 0.98, "suite 300": 0.5
  it('scores each filing with the cut fitted on the others', () => {
    // filing a: "suite 300" is wrong, so a cut above 0.5 pays there; filing b: it is right, so fitted on a alone the cut drops it
    const xs = [
      { ...s('our notes of 500', { 3: `B-${FACE}` }, { 3: `B-${FACE}` }), group: 'a' },
      { ...s('suite 300', {}, { 1: `B-${FACE}` }), group: 'a' },
      { ...s('suite 300', { 1: `B-${FACE}` }, { 1: `B-${FACE}` }), group: 'b' },
    ];
    const dev = { words: xs.map((x) => x.words), gold: xs.map((x) => x.gold), predictions: xs.map((x) => x.predictions), groups: xs.map((x) => x.group) };
    const cv = crossValidateCut(dev, labels, weights, undefined)!;
    expect(cv.groups).toBe(2);
    // a is scored with b's fit (keeps every entity: 1 tp, 1 fp); b with a's (drops its right "300": 1 fn)
    expect(cv.metrics.micro).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(crossValidateCut({ ...dev, groups: ['a', 'a', undefined] }, labels, weights, undefined)).toBeUndefined();
    expect(crossValidateCut({ ...dev, groups: ['a', 'a', 'a'] }, labels, weights, undefined)).toBeUndefined();
  });
});

describe('buildVerifier', () => {
  it('learns from whole train filings, fits the cut on the dev set, and the evaluation applies it after the thresholds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verifier-'));
    const s = (tokens: string, tags: Record<number, number>, source: string, extra: Record<string, unknown> = {}) => {
      const t = tokens.split(' ');
      return { id: `${source}:${tokens}`, tokens: t, ner_tags: t.map((_, i) => tags[i] ?? 0), source, ...extra };
    };
    const train = [...Array(12)].flatMap((_, k) => [
      s('our notes of 500 at 5 % interest', { 3: B(FACE), 5: B(RATE) }, `f${k}.htm`), // tagged: both right
      s('suite 300', {}, `f${k}.htm`), // untagged: wrong
      s('page 12', {}, `f${k}.htm`), // untagged: wrong
      s('our 500 notes', {}, `f${k}.htm`, { repeats: [[1, 4]] }), // untagged repeat: right
    ]);
    const test = [s('our notes of 500', { 3: B(FACE) }, 't.htm'), s('gross margin page 12', {}, 't.htm'), s('suite 300', {}, 't.htm')];
    await writeJsonlDataset(dir, { train, test }, { label_names: FINER139_LABELS, options: { all_sentences: true }, splits: { train: { files: [...Array(12)].map((_, k) => `f${k}.htm`) }, test: { files: ['t.htm'] } } });
    const devSet: DenseSet = {
      kind: 'dense', name: 'dev', source: 'dev.jsonl',
      sentences: [
        { id: '0', tokens: ['our', 'notes', 'of', '500'], labels: ['O', 'O', 'O', `B-${FACE}`] },
        { id: '1', tokens: ['suite', '300'], labels: ['O', 'O'] },
        { id: '2', tokens: ['page', '12'], labels: ['O', 'O'] },
      ],
    };
    const report = await buildVerifier(folder, run, undefined, { train: dir, split: 'train', dev: devSet, rules: ['ratio', 'change'], backend: 'test', batchSize: 4, seed: 1 });
    expect(report.rules).toEqual(['ratio', 'change']);
    expect(report.trainedOn).toMatchObject({ filings: 12, sentences: 48, examples: 60, positives: 36 });
    expect(report.before.micro).toMatchObject({ tp: 1, fp: 2 });
    expect(report.after.micro).toMatchObject({ tp: 1, fp: 0 });
    expect(report.types).toEqual(['DebtInstrumentInterestRateStatedPercentage', 'LineOfCreditFacilityMaximumBorrowingCapacity', 'DebtInstrumentBasisSpreadOnVariableRate1', FACE]);

    const out = mkdtempSync(join(tmpdir(), 'verifier-model-'));
    const f = { ...folder, dir: out };
    expect(await readVerifier(f)).toBeUndefined();
    writeFileSync(join(out, 'verifier.json'), JSON.stringify(report));
    const verifier = (await readVerifier(f))!;
    expect(verifier.cut).toBe(report.cut);
    const raw = await evaluateWholeDocuments(folder, dir, 'test', run, { batchSize: 4 });
    const checked = await evaluateWholeDocuments(folder, dir, 'test', run, { batchSize: 4, verifier });
    expect(raw.perFiling.others).toBe(2);
    expect(checked.perFiling.others).toBe(0);
    expect(checked.tagged.micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });

    writeFileSync(join(out, 'verifier.json'), JSON.stringify({ ...report, cut: -1 }));
    await expect(readVerifier(f)).rejects.toThrow(/verifier\.json: cut: expected a score from 0 to 1, found -1$/);
  });

  it('reads --rules, refusing a name it does not know in one line', () => {
    expect(parseRules('ratio,change')).toEqual(['ratio', 'change']);
    expect(parseRules('change, change')).toEqual(['change']);
    expect(parseRules('none')).toEqual([]);
    expect(() => parseRules('ratio,sublimit')).toThrow('--rules ratio,sublimit: "sublimit" is not a rule; expected none or a comma-separated list of ratio, change, floor');
  });

  it('draws the filings it learns from with the seed', () => {
    const sentences = ['a', 'b', 'c', 'd'].flatMap((source) => [1, 2].map((i) => ({ tokens: [String(i)], gold: undefined, repeats: new Set<number>(), source })));
    const two = pickFilings(sentences, 2, 1);
    expect(new Set(two.map((s) => s.source)).size).toBe(2);
    expect(two).toHaveLength(4);
    expect(pickFilings(sentences, 2, 1)).toEqual(two);
    expect(pickFilings(sentences, undefined, 1)).toHaveLength(8);
  });
});
