import { describe, expect, it } from 'vitest';
import { downloadLabel } from './ModelLoadProgress.tsx';
import { modelLoadOf } from '../store.ts';

describe('the model load as shown', () => {
  it('names the file and its megabytes, of the total when the server gave it', () => {
    expect(downloadLabel({ file: 'onnx/model_quantized.onnx', loaded: 3_120_000, total: 7_494_454 })).toBe('onnx/model_quantized.onnx: 3.1 of 7.5 MB');
    expect(downloadLabel({ file: 'onnx/model.onnx', loaded: 12_345_678, total: 0 })).toBe('onnx/model.onnx: 12.3 MB');
  });

  it("follows the worker's replies", () => {
    const model = { backend: 'onnx', precision: 'int8', webgpu: true } as const;
    const download = { file: 'onnx/model_quantized.onnx', loaded: 1, total: 2 };
    expect(modelLoadOf({ type: 'model-loading', model })).toEqual({ status: 'loading', model });
    expect(modelLoadOf({ type: 'model-loading', model, download })).toEqual({ status: 'loading', model, download });
    expect(modelLoadOf({ type: 'model-loaded', model, loadMs: 812 })).toEqual({ status: 'loaded', model, loadMs: 812 });
    expect(modelLoadOf({ type: 'model-failed', model })).toEqual({ status: 'failed', model });
  });
});
