import { beforeEach, describe, expect, it, vi } from 'vitest';
import { compareEntities } from './app/agreement.ts';
import type { FilingView } from './app/filingView.ts';
import type { BackendName, Precision, TagResult } from '@finer-lens/core/ner/types.ts';

// The workers are the store's only way out: here they are fakes the tests drive.
const worker = vi.hoisted(() => ({ tag: vi.fn(), parse: vi.fn() }));
vi.mock('./workers/tagger/client.ts', async (original) => ({ ...(await original<typeof import('./workers/tagger/client.ts')>()), tagInWorker: worker.tag }));
vi.mock('./workers/filing/client.ts', () => ({ parseInWorker: worker.parse }));

const { TagCancelled } = await import('./workers/tagger/client.ts');
const { resultNote, useAppStore } = await import('./store.ts');

const ENGLISH = 'The notes bear interest at 5.25% per annum and mature in 2030.';
const CHINESE = '公司于2023年发行了本金总额为5亿美元、利率为5.25%的优先票据，该票据将于2030年到期。';

function resultOf(backend: BackendName, precision: Precision = 'int8'): TagResult {
  return {
    entities: [], // the store never looks inside
    provider: { backend, precision, provider: 'wasm', threads: 1, model: 'finer-lens-small', modelFile: 'onnx/model_quantized.onnx', loadMs: 5 },
    timings: { loadMs: 0, splitMs: 1, inferenceMs: 2, totalMs: 3, sentences: 1, words: 14, modelSentences: 1, modelWords: 14, windows: 1, subTokens: 16, batches: 1 },
  };
}

/** The worker answers at once. */
function answers() {
  return (model: { backend: BackendName; precision: Precision }) => ({ result: Promise.resolve(resultOf(model.backend, model.precision)), cancel: () => {} });
}

/** The worker runs until cancelled (then rejects as the real client does). */
function runsUntilCancelled() {
  let cancel = () => {};
  const result = new Promise<TagResult>((_, reject) => (cancel = () => reject(new TagCancelled('Cancelled.'))));
  return { result, cancel: () => cancel() };
}

const initial = useAppStore.getState();
beforeEach(() => {
  useAppStore.setState(initial, true);
  useAppStore.setState({ tagText: ENGLISH });
  worker.tag.mockReset();
  worker.parse.mockReset();
});

describe('a cancelled run keeps the results it would have replaced', () => {
  it('cancelling a re-run on HF gives back the ONNX result of the same text, and says HF is chosen now', async () => {
    const store = useAppStore.getState();
    worker.tag.mockImplementationOnce(answers());
    await store.runTag();
    expect(useAppStore.getState().tagRun).toMatchObject({ status: 'tagged', text: ENGLISH });

    store.setBackend('hf');
    worker.tag.mockImplementationOnce(runsUntilCancelled);
    const rerun = useAppStore.getState().runTag();
    expect(useAppStore.getState().tagRun.status).toBe('running');
    useAppStore.getState().cancelTag();
    await rerun;

    const run = useAppStore.getState().tagRun;
    expect(run).toMatchObject({ status: 'tagged', text: ENGLISH, cancelled: 'Tagging with HF (transformers.js) was cancelled' });
    expect(run.status === 'tagged' && run.result.provider.backend).toBe('onnx');
    expect(resultNote(run, useAppStore.getState())).toBe(
      'Tagging with HF (transformers.js) was cancelled: the results below are the earlier ones, from ONNX (onnxruntime-web) int8. HF (transformers.js) int8 is chosen now; press Tag to tag the text with it.',
    );
  });

  it('cancelling a comparison while HF runs keeps the ONNX result it had finished on this text', async () => {
    worker.tag.mockImplementationOnce(answers()).mockImplementationOnce(runsUntilCancelled);
    const compare = useAppStore.getState().runCompare();
    await vi.waitFor(() => expect(worker.tag).toHaveBeenCalledTimes(2));
    useAppStore.getState().cancelTag();
    await compare;
    expect(useAppStore.getState().tagRun).toMatchObject({ status: 'tagged', text: ENGLISH, result: { provider: { backend: 'onnx' } } });
  });

  it('with nothing to give back, a cancel says cancelled', async () => {
    worker.tag.mockImplementationOnce(runsUntilCancelled);
    const run = useAppStore.getState().runTag();
    useAppStore.getState().cancelTag();
    await run;
    expect(useAppStore.getState().tagRun).toEqual({ status: 'cancelled' });
  });
});

describe('resultNote: results of another backend or precision are said to be so', () => {
  it('after switching the backend or the precision, not before', async () => {
    worker.tag.mockImplementation(answers());
    await useAppStore.getState().runTag();
    expect(resultNote(useAppStore.getState().tagRun, useAppStore.getState())).toBeUndefined();
    useAppStore.getState().setBackend('hf');
    expect(resultNote(useAppStore.getState().tagRun, useAppStore.getState())).toBe(
      'The results below are from ONNX (onnxruntime-web) int8; HF (transformers.js) int8 is chosen now; press Tag to tag the text with it.',
    );
    useAppStore.getState().setBackend('onnx');
    useAppStore.getState().setPrecision('fp32');
    expect(resultNote(useAppStore.getState().tagRun, useAppStore.getState())).toMatch(/from ONNX \(onnxruntime-web\) int8; ONNX \(onnxruntime-web\) fp32 is chosen now/);
    // the text changed too: the screen's own notice says so, not this one
    useAppStore.getState().setTagText('Other text at 4%.');
    expect(resultNote(useAppStore.getState().tagRun, useAppStore.getState())).toBeUndefined();
  });

  it('a comparison ran both backends: only the precision makes it stale', async () => {
    worker.tag.mockImplementation(answers());
    await useAppStore.getState().runCompare();
    expect(useAppStore.getState().tagRun.status).toBe('compared');
    useAppStore.getState().setBackend('hf');
    expect(resultNote(useAppStore.getState().tagRun, useAppStore.getState())).toBeUndefined();
    useAppStore.getState().setPrecision('fp32');
    expect(resultNote(useAppStore.getState().tagRun, useAppStore.getState())).toMatch(/^The results below are from both backends at int8/);
  });
});

describe('Compare int8 against fp32', () => {
  it('runs ONNX int8 then ONNX fp32 on the same text, whatever backend and precision are chosen, and compares their entities', async () => {
    const entity = { start: 27, end: 31, text: '5.25', label: 'DebtInstrumentInterestRateStatedPercentage', score: 0.9, value: 5.25, unit: '%', sentence: ENGLISH };
    worker.tag.mockImplementation((model: { backend: BackendName; precision: Precision }) => ({
      // fp32 finds the rate, int8 nothing: the comparison must say so, side by side
      result: Promise.resolve({ ...resultOf(model.backend, model.precision), entities: model.precision === 'fp32' ? [entity] : [] }),
      cancel: () => {},
    }));
    useAppStore.getState().setBackend('hf');
    useAppStore.getState().setCompareWhat('precisions');
    await useAppStore.getState().runCompare();
    expect(worker.tag.mock.calls.map(([model, text]) => [model.backend, model.precision, text])).toEqual([
      ['onnx', 'int8', ENGLISH],
      ['onnx', 'fp32', ENGLISH],
    ]);
    const run = useAppStore.getState().tagRun;
    expect(run).toMatchObject({ status: 'compared', what: 'precisions', a: { provider: { precision: 'int8' } }, b: { provider: { precision: 'fp32' } } });
    expect(run.status === 'compared' && compareEntities(run.a.entities, run.b.entities)).toMatchObject({ identical: false, countA: 0, countB: 1, differences: [{ kind: 'only-b' }] });
    // both precisions ran: no choice of backend or precision makes it stale
    useAppStore.getState().setPrecision('fp32');
    expect(resultNote(run, useAppStore.getState())).toBeUndefined();
  });

  it('cancelled while fp32 runs, keeps the int8 result and names the model it stopped', async () => {
    worker.tag.mockImplementationOnce(answers()).mockImplementationOnce(runsUntilCancelled);
    useAppStore.getState().setCompareWhat('precisions');
    const compare = useAppStore.getState().runCompare();
    await vi.waitFor(() => expect(worker.tag).toHaveBeenCalledTimes(2));
    useAppStore.getState().cancelTag();
    await compare;
    expect(useAppStore.getState().tagRun).toMatchObject({
      status: 'tagged',
      result: { provider: { backend: 'onnx', precision: 'int8' } },
      cancelled: 'The comparison was cancelled while tagging with ONNX (onnxruntime-web) fp32',
    });
  });
});

describe('a file that cannot be opened', () => {
  const view = { fileName: 'tiny-10q.htm' } as unknown as FilingView;
  const file = (name: string) => ({ name }) as File;

  it('leaves the open filing in place, with the one-line error; the next good file clears it', async () => {
    worker.parse.mockResolvedValueOnce({ view, millis: 12 });
    await useAppStore.getState().openFiling(file('tiny-10q.htm'));
    expect(useAppStore.getState().filing).toEqual({ status: 'ready', view, parseMillis: 12 });

    worker.parse.mockRejectedValueOnce(new Error('report.pdf does not look like HTML; expected an inline-XBRL 10-K/10-Q filing.'));
    const opening = useAppStore.getState().openFiling(file('report.pdf'));
    expect(useAppStore.getState().filing).toMatchObject({ status: 'parsing', fileName: 'report.pdf', previous: { view } });
    await opening;
    expect(useAppStore.getState().filing).toEqual({
      status: 'ready',
      view,
      parseMillis: 12,
      openError: 'report.pdf does not look like HTML; expected an inline-XBRL 10-K/10-Q filing.',
    });

    const other = { fileName: 'other.htm' } as unknown as FilingView;
    worker.parse.mockResolvedValueOnce({ view: other, millis: 7 });
    await useAppStore.getState().openFiling(file('other.htm'));
    expect(useAppStore.getState().filing).toEqual({ status: 'ready', view: other, parseMillis: 7 });
  });

  it('with no filing open, is an error', async () => {
    worker.parse.mockRejectedValueOnce(new Error('broken.htm.gz could not be decompressed'));
    await useAppStore.getState().openFiling(file('broken.htm.gz'));
    expect(useAppStore.getState().filing).toEqual({ status: 'error', message: 'broken.htm.gz could not be decompressed' });
  });
});

describe('text that is not English is tagged only on request', () => {
  it('Chinese: the notice, no model call; "Tag anyway" tags it', async () => {
    worker.tag.mockImplementation(answers());
    useAppStore.getState().setTagText(CHINESE);
    await useAppStore.getState().runTag();
    expect(worker.tag).not.toHaveBeenCalled();
    expect(useAppStore.getState().languageGate).toMatchObject({ text: CHINESE, mode: 'tag', check: { english: false, otherScript: 'Chinese or Japanese' } });
    expect(useAppStore.getState().tagRun.status).toBe('idle');

    await useAppStore.getState().tagAnyway();
    expect(worker.tag).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState().languageGate).toBeUndefined();
    expect(useAppStore.getState().tagRun).toMatchObject({ status: 'tagged', text: CHINESE });
    // asked once for this text: Tag again goes straight to the model
    await useAppStore.getState().runTag();
    expect(worker.tag).toHaveBeenCalledTimes(2);
  });

  it('Compare is held too, and editing the text takes the notice away', async () => {
    worker.tag.mockImplementation(answers());
    useAppStore.getState().setTagText(CHINESE);
    await useAppStore.getState().runCompare();
    expect(useAppStore.getState().languageGate).toMatchObject({ mode: 'compare' });
    useAppStore.getState().setTagText(ENGLISH);
    expect(useAppStore.getState().languageGate).toBeUndefined();
    await useAppStore.getState().runCompare();
    expect(worker.tag).toHaveBeenCalledTimes(2);
  });

  it('English goes straight to the model', async () => {
    worker.tag.mockImplementation(answers());
    await useAppStore.getState().runTag();
    expect(useAppStore.getState().languageGate).toBeUndefined();
    expect(worker.tag).toHaveBeenCalledTimes(1);
  });
});

