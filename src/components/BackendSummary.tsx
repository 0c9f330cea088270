import { displayNameOf } from '../app/tags.ts';
import type { ProviderInfo, TagResult } from '../backends/types.ts';
import type { TypeThresholds } from '../ner/thresholds.ts';

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
      data-load-ms={Math.round(p.loadMs)}
      data-total-ms={Math.round(t.totalMs)}
      data-inference-ms={Math.round(t.inferenceMs)}
      data-sub-tokens={t.subTokens}
      data-sentences={t.sentences}
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
          <dd>{ms(p.loadMs)}</dd>
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
          <dd>
            {t.sentences.toLocaleString('en-US')} sentences, {t.words.toLocaleString('en-US')} words,{' '}
            {t.subTokens.toLocaleString('en-US')} sub-tokens
          </dd>
        </div>
      </dl>
      {p.fallback && (
        <p className="notice" role="status">
          {p.fallback}.
        </p>
      )}
    </div>
  );
}
