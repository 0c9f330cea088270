import type { Ref } from 'react';
import { useAppStore, BACKEND_NAMES, type CompareWhat } from '../store.ts';
import type { BackendName, Precision } from '@finer-lens/core/ner/types.ts';

/** Backend switch, precision, WebGPU, the Tag button, and Compare with what it compares. */
export function ModelControls({ busy, tagButtonRef }: { busy: boolean; tagButtonRef?: Ref<HTMLButtonElement> }) {
  const backend = useAppStore((s) => s.backend);
  const precision = useAppStore((s) => s.precision);
  const webgpu = useAppStore((s) => s.webgpu);
  const setBackend = useAppStore((s) => s.setBackend);
  const setPrecision = useAppStore((s) => s.setPrecision);
  const setWebgpu = useAppStore((s) => s.setWebgpu);
  const runTag = useAppStore((s) => s.runTag);
  const runCompare = useAppStore((s) => s.runCompare);
  const compareWhat = useAppStore((s) => s.compareWhat);
  const setCompareWhat = useAppStore((s) => s.setCompareWhat);
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
      <label className="compare-select">
        Compare
        <select value={compareWhat} onChange={(e) => setCompareWhat(e.target.value as CompareWhat)}>
          <option value="backends">ONNX vs HF</option>
          <option value="precisions">int8 vs fp32 (ONNX)</option>
        </select>
      </label>
      <div className="run-buttons">
        <button type="button" className="primary" disabled={busy} ref={tagButtonRef} onClick={() => void runTag()}>
          Tag
        </button>
        <button type="button" disabled={busy} onClick={() => void runCompare()}>
          {compareWhat === 'backends' ? 'Compare both backends' : 'Compare int8 and fp32'}
        </button>
      </div>
    </div>
  );
}
