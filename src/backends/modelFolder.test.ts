/** The model folder as the browser reads it: `?model=` and thresholds.json. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { MODEL_NAME, ModelError, modelNameOf, readBytes, readThresholds, readVerifier, thresholdsOfJson, withCuts } from './modelFolder.ts';
import { tagText } from '@finer-lens/core/ner/tagText.ts';
import type { DownloadProgress, ProviderInfo, WordPredictor } from '@finer-lens/core/ner/types.ts';

describe('modelNameOf', () => {
  it('is the shipped model without ?model=, and the named folder with it', () => {
    expect(modelNameOf('')).toBe(MODEL_NAME);
    expect(modelNameOf('?model=')).toBe(MODEL_NAME);
    expect(modelNameOf('?tab=tag')).toBe(MODEL_NAME);
    expect(modelNameOf('?model=acme-2024_adapted.v2')).toBe('acme-2024_adapted.v2');
    expect(modelNameOf('?tab=tag&model=acme')).toBe('acme');
  });

  it('refuses a name that is not one folder under models/, saying what is expected', () => {
    for (const bad of ['../secrets', 'a/b', '.hidden', 'x%20y', 'http://evil.example/m']) {
      expect(() => modelNameOf(`?model=${bad}`)).toThrow(ModelError);
    }
    expect(() => modelNameOf('?model=a/b')).toThrow(
      new ModelError(`?model=a/b: expected the name of a model folder under models/ (letters, digits, ".", "_" and "-"), such as ${MODEL_NAME}`),
    );
  });
});

/** thresholds.json beside config.json: optional, checked, applied before entities are made. */
describe('thresholds.json', () => {
  const LABELS = ['O', 'B-Rate', 'I-Rate', 'B-Face', 'I-Face'];
  const FOLDER = 'http://app.example/models/acme/';
  const WHERE = 'models/acme/thresholds.json';
  afterEach(() => vi.unstubAllGlobals());
  const serve = (response: Response) => {
    const fetch = vi.fn(async (_url: URL) => response);
    vi.stubGlobal('fetch', fetch);
    return fetch;
  };
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

  it('reads the thresholds of the folder, fetched beside config.json', async () => {
    const fetch = serve(json({ schema: 1, thresholds: { Rate: 0.55, Face: 0.8 }, fittedOn: 'whole-doc.jsonl' }));
    expect(await readThresholds(FOLDER, LABELS)).toEqual({ Rate: 0.55, Face: 0.8 });
    expect(String(fetch.mock.calls[0]![0])).toBe(`${FOLDER}thresholds.json`);
  });

  it('is none when the folder has no thresholds.json (404, or the dev server\'s HTML page)', async () => {
    serve(new Response('not found', { status: 404 }));
    expect(await readThresholds(FOLDER, LABELS)).toBeUndefined();
    serve(new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await readThresholds(FOLDER, LABELS)).toBeUndefined();
  });

  it('names the file and the field of a malformed one', async () => {
    serve(new Response('{"schema": 1,', { status: 200 }));
    await expect(readThresholds(FOLDER, LABELS)).rejects.toThrow(new RegExp(`^${WHERE} is not valid JSON`));
    serve(new Response('oops', { status: 500, statusText: 'Internal Server Error' }));
    await expect(readThresholds(FOLDER, LABELS)).rejects.toThrow(`${WHERE}: HTTP 500 Internal Server Error`);
    const bad = (body: unknown) => () => thresholdsOfJson(body, LABELS, WHERE);
    expect(bad({ schema: 1, thresholds: { Rate: '0.5' } })).toThrow(new ModelError(`${WHERE}: "thresholds".Rate = "0.5"; expected a score from 0 to 1`));
    expect(bad({ schema: 1, thresholds: { Face: 1.5 } })).toThrow(`${WHERE}: "thresholds".Face = 1.5; expected a score from 0 to 1`);
    expect(bad({ schema: 1, thresholds: { Spread: 0.5 } })).toThrow(`${WHERE}: "thresholds" names Spread, not an entity type of the model (Rate, Face)`);
    expect(bad({ schema: 1, thresholds: [0.5] })).toThrow(`${WHERE}: no "thresholds" object; expected {"<entity type>": <score 0..1>}`);
    expect(bad({ schema: 2, thresholds: {} })).toThrow(`${WHERE}: "schema" is 2; expected 1`);
    expect(bad([])).toThrow(`${WHERE}: expected a JSON object with "thresholds"`);
  });

  it('turns entities below their type\'s threshold into O before tagText makes entities, and keeps the rest', async () => {
    // "Notes of 500 at 4.25 % and 3.5 %": Face 0.9 on 500; Rate 0.7 on 4.25, 0.5 on 3.5
    const SCORES: Record<string, WordPrediction> = { '500': { label: 'B-Face', score: 0.9 }, '4.25': { label: 'B-Rate', score: 0.7 }, '3.5': { label: 'B-Rate', score: 0.5 } };
    const raw: WordPredictor['predict'] = async (sentences) => ({
      predictions: sentences.map((words) => words.map((w) => SCORES[w] ?? { label: 'O', score: 1 })),
      stats: { windows: sentences.length, subTokens: 0, batches: 1 },
    });
    const info: ProviderInfo = { backend: 'hf', precision: 'int8', provider: 'wasm', threads: 1, model: 'acme', modelFile: 'onnx/model_quantized.onnx', loadMs: 0 };
    const predictor = (thresholds?: TypeThresholds): WordPredictor => ({ info, predict: withCuts(raw, { thresholds }), dispose: async () => {} });
    const text = 'Notes of 500 at 4.25% and 3.5%.';
    const tagged = async (thresholds?: TypeThresholds) => (await tagText(predictor(thresholds), text)).entities.map((e) => `${e.text} ${e.label}`);
    expect(await tagged()).toEqual(['500 Face', '4.25 Rate', '3.5 Rate']);
    expect(await tagged({ Rate: 0.6, Face: 0.8 })).toEqual(['500 Face', '4.25 Rate']);
    expect(await tagged({ Rate: 0.75 })).toEqual(['500 Face']);
    expect(withCuts(raw, {})).toBe(raw);
    // the context check after the thresholds: it refuses every Face (bias -30) and knows nothing of Rate
    const verifier = { types: ['Face'], weights: new Map([['b', -30]]), cut: 0.5, confident: 1.01, rules: [] };
    const checked = { info, predict: withCuts(raw, { thresholds: { Rate: 0.6 }, verifier }), dispose: async () => {} };
    expect((await tagText(checked, text)).entities.map((e) => `${e.text} ${e.label}`)).toEqual(['4.25 Rate']);
  });

  it('reads the context check of the folder (verifier.json), none when it has none, and names the file of a bad one', async () => {
    const fetch = serve(json({ schema: 1, types: ['Face'], weights: { b: -1, '0|1:%': 2 }, cut: 0.3, confident: 0.8, trainedOn: {} }));
    const v = (await readVerifier(FOLDER, LABELS))!;
    expect(String(fetch.mock.calls[0]![0])).toBe(`${FOLDER}verifier.json`);
    expect([v.types, v.weights.get('0|1:%'), v.cut, v.confident]).toEqual([['Face'], 2, 0.3, 0.8]);
    serve(new Response('not found', { status: 404 }));
    expect(await readVerifier(FOLDER, LABELS)).toBeUndefined();
    serve(json({ schema: 1, types: ['Face'], weights: {}, cut: 2, confident: 0.8 }));
    await expect(readVerifier(FOLDER, LABELS)).rejects.toThrow(new ModelError('models/acme/verifier.json: cut: expected a score from 0 to 1, found 2'));
  });
});

describe('readBytes', () => {
  /** A response whose body arrives in the given chunks. */
  const chunked = (chunks: number[][], headers: Record<string, string>) =>
    new Response(new ReadableStream({ start: (c) => (chunks.forEach((b) => c.enqueue(new Uint8Array(b))), c.close()) }), { headers });

  it('gives every byte in order and reports each chunk against the Content-Length', async () => {
    const seen: DownloadProgress[] = [];
    const bytes = await readBytes(chunked([[1, 2, 3], [4], [5, 6]], { 'content-length': '6' }), 'onnx/model.onnx', (p) => seen.push(p));
    expect([...bytes]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.map((p) => p.loaded)).toEqual([0, 3, 4, 6]);
    expect(seen.every((p) => p.total === 6 && p.file === 'onnx/model.onnx')).toBe(true);
  });

  it('has no total for a compressed body (its Content-Length counts other bytes) or none given', async () => {
    const seen: DownloadProgress[] = [];
    await readBytes(chunked([[1, 2]], { 'content-length': '1', 'content-encoding': 'gzip' }), 'a', (p) => seen.push(p));
    await readBytes(chunked([[1, 2]], {}), 'b', (p) => seen.push(p));
    expect(seen.map((p) => p.total)).toEqual([0, 0, 0, 0]);
  });
});
