import type { Ref } from 'react';
import { useAppStore, BACKEND_NAMES } from '../store.ts';
import type { BackendName, Precision } from '../backends/types.ts';

/** Backend switch, precision, WebGPU, and the Tag and Compare buttons. */
export function ModelControls({ busy, tagButtonRef }: { busy: boolean; tagButtonRef?: Ref<HTMLButtonElement> }) {
  const backend = useAppStore((s) => s.backend);
  const precision = useAppStore((s) => s.precision);
  const webgpu = useAppStore((s) => s.webgpu);
  const setBackend = useAppStore((s) => s.setBackend);
  const setPrecision = useAppStore((s) => s.setPrecision);
  const setWebgpu = useAppStore((s) => s.setWebgpu);
  const runTag = useAppStore((s) => s.runTag);
  const runCompare = useAppStore((s) => s.runCompare);
  return (
    <div className="model-controls">
      <fieldset className="backend-switch">
        <legend>Backend</legend>
        {(Object.keys(BACKEND_NAMES) as BackendName[]).map((b) => (
          <label key={b}>
            <input type="radio" name="backend" value={b} checked={backend === b} onChange={() => setBackend(b)} />
            {BACKEND_NAMES[b]}
          </label>
        ))}
      </fieldset>
      <label className="precision-select">
        Precision
        <select value={precision} onChange={(e) => setPrecision(e.target.value as Precision)}>
          <option value="int8">int8 (model_quantized.onnx)</option>
          <option value="fp32">fp32 (model.onnx)</option>
        </select>
      </label>
      <label className="webgpu-toggle">
        <input type="checkbox" checked={webgpu} onChange={(e) => setWebgpu(e.target.checked)} />
        Use WebGPU when available
      </label>
      <div className="run-buttons">
        <button type="button" className="primary" disabled={busy} ref={tagButtonRef} onClick={() => void runTag()}>
          Tag
        </button>
        <button type="button" disabled={busy} onClick={() => void runCompare()}>
          Compare both backends
        </button>
      </div>
    </div>
  );
}
