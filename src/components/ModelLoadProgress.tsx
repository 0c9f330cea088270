import type { DownloadProgress } from '@finer-lens/core/ner/types.ts';
import { BACKEND_NAMES, useAppStore } from '../store.ts';
import { ms } from './BackendSummary.tsx';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** `onnx/model_quantized.onnx: 3.1 of 7.5 MB`, or `3.1 MB` fetched when the server gave no size. */
export function downloadLabel(d: DownloadProgress): string {
  return d.total > 0 ? `${d.file}: ${mb(d.loaded)} of ${mb(d.total)} MB` : `${d.file}: ${mb(d.loaded)} MB`;
}

/**
 * The worker's model load: the file being fetched and its bytes while it
 * loads (whether a warm-up, a Tag or a filing's run started it), then that
 * the chosen model is ready.
 */
export function ModelLoadProgress() {
  const load = useAppStore((s) => s.modelLoad);
  const backend = useAppStore((s) => s.backend);
  const precision = useAppStore((s) => s.precision);
  if (load.status === 'loading') {
    const d = load.download;
    return (
      <div className="model-load" data-testid="model-load" data-status="loading">
        <span id="model-load-label">
          Loading the model ({BACKEND_NAMES[load.model.backend]} {load.model.precision}){d ? `: ${downloadLabel(d)}` : '…'}
        </span>
        <progress aria-labelledby="model-load-label" max={d && d.total > 0 ? d.total : undefined} value={d && d.total > 0 ? d.loaded : undefined} />
      </div>
    );
  }
  if (load.status === 'loaded' && load.model.backend === backend && load.model.precision === precision) {
    return (
      <p className="hint model-load" role="status" data-testid="model-load" data-status="loaded">
        {BACKEND_NAMES[backend]} {precision} is loaded ({ms(load.loadMs)}).
      </p>
    );
  }
  return null;
}
