import { displayNameOf } from '@finer-lens/core/ner/tags.ts';
import type { ProviderInfo, TagResult, Timings, WebgpuFallback } from '@finer-lens/core/ner/types.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { ModelCard } from './ModelCard.tsx';
import { RunNotice } from './RunNotice.tsx';

const NAMES = { onnx: 'ONNX', hf: 'transformers.js' } as const;

/** `ONNX int8` / `transformers.js fp32`. */
export function backendLabel(p: ProviderInfo): string {
  return `${NAMES[p.backend]} ${p.precision}`;
}

/** How the execution provider ran: `WebGPU`, or `WASM, 2 threads`. */
export function providerLabel(p: ProviderInfo): string {
  return p.provider === 'webgpu' ? 'WebGPU' : `WASM, ${p.threads} thread${p.threads === 1 ? '' : 's'}`;
}

export function ms(x: number): string {
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x).toLocaleString('en-US')} ms`;
}

/** `Interest rate 0.55, Credit line max 0.80`: each type's minimum entity score, by display name. */
export function thresholdsLabel(thresholds: TypeThresholds): string {
  return Object.entries(thresholds)
    .map(([type, t]) => `${displayNameOf(type)} ${t.toFixed(2)}`)
    .join(', ');
}

/** The hover text of a thresholds line: where they come from and what they do. */
export function thresholdsTitle(p: ProviderInfo): string {
  const tags = Object.entries(p.thresholds ?? {}).map(([type, t]) => `${type} ${t}`);
  return `models/${p.model}/thresholds.json (finer thresholds): an entity whose score is below its type's threshold is left out. ${tags.join(', ')}`;
}

/** A line saying that the model folder's per-type thresholds are in use (nothing when it has none). */
export function ThresholdsNote({ provider }: { provider: ProviderInfo }) {
  if (!provider.thresholds) return null;
  return (
    <p className="hint thresholds-note" data-testid="thresholds-note" title={thresholdsTitle(provider)}>
      Per-type score thresholds in use: {thresholdsLabel(provider.thresholds)}.
    </p>
  );
}

/** `12 sentences, 310 words`: the whole text. */
export function textCounts(t: Timings): string {
  return `${count(t.sentences, 'sentence')}, ${count(t.words, 'word')}`;
}

/** `5 sentences with a digit, 120 words, 180 sub-tokens in 5 windows`: what the model read. */
export function modelCounts(t: Timings): string {
  return `${count(t.modelSentences, 'sentence')} with a digit, ${count(t.modelWords, 'word')}, ${count(t.subTokens, 'sub-token')} in ${count(t.windows, 'window')}`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** The model load of this call, or that it was loaded before. */
export function loadLabel(t: Timings): string {
  return t.loadMs > 0 ? ms(t.loadMs) : 'already loaded';
}

/**
 * Why WebGPU was not used, in plain words. No WebGPU is the usual case and a
 * software adapter is refused on purpose: a quiet note. A WebGPU failure is a
 * warning.
 */
export function WebgpuNote({ fallback }: { fallback: WebgpuFallback }) {
  if (fallback.reason === 'failed') {
    return (
      <p className="notice" role="status" data-testid="webgpu-note" data-reason="failed">
        WebGPU could not run the model, so it ran on the processor (WebAssembly) instead: {fallback.detail}.
      </p>
    );
  }
  return (
    <p className="hint webgpu-note" data-testid="webgpu-note" data-reason={fallback.reason} title={fallback.detail}>
      {fallback.reason === 'absent'
        ? 'Ran on the processor (WebAssembly): this browser offers no graphics card to web pages (WebGPU).'
        : 'Ran on the processor (WebAssembly): the only graphics device this browser offers is a software emulation, slower than WebAssembly.'}
    </p>
  );
}

/** What ran the model and how long it took. */
export function BackendSummary({ result }: { result: TagResult }) {
  const { provider: p, timings: t } = result;
  const perSecond = t.inferenceMs > 0 ? Math.round((t.subTokens / t.inferenceMs) * 1000) : 0;
  return (
    <div
      className="backend-summary"
      data-backend={p.backend}
      data-provider={p.provider}
      data-threads={p.threads}
      data-load-ms={Math.round(t.loadMs)}
      data-total-ms={Math.round(t.totalMs)}
      data-inference-ms={Math.round(t.inferenceMs)}
      data-sub-tokens={t.subTokens}
      data-sentences={t.sentences}
      data-model-sentences={t.modelSentences}
    >
      <dl className="cover-facts">
        <div>
          <dt>Backend</dt>
          <dd data-testid="backend">{backendLabel(p)}</dd>
        </div>
        <div>
          <dt>Provider</dt>
          <dd data-testid="provider">{providerLabel(p)}</dd>
        </div>
        <div>
          <dt>Model file</dt>
          <dd data-testid="model-file">
            <code>
              models/{p.model}/{p.modelFile}
            </code>
          </dd>
        </div>
        {p.thresholds && (
          <div>
            <dt>Thresholds</dt>
            <dd data-testid="thresholds" title={thresholdsTitle(p)}>
              {thresholdsLabel(p.thresholds)}
            </dd>
          </div>
        )}
        <div>
          <dt>Model load</dt>
          <dd data-testid="load-time" title={`The model loaded in ${ms(p.loadMs)} when first used.`}>
            {loadLabel(t)}
          </dd>
        </div>
        <div>
          <dt>Tagging</dt>
          <dd data-testid="tag-time">{ms(t.totalMs)}</dd>
        </div>
        <div>
          <dt>Sub-tokens/s</dt>
          <dd>{perSecond.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Text</dt>
          <dd data-testid="text-counts">{textCounts(t)}</dd>
        </div>
        <div>
          <dt>Model read</dt>
          <dd data-testid="model-counts" title="Only sentences with a digit go to the model: every entity type is a number.">
            {modelCounts(t)}
          </dd>
        </div>
      </dl>
      <ModelCard model={p.model} />
      {p.fallback && <WebgpuNote fallback={p.fallback} />}
      <RunNotice />
    </div>
  );
}
