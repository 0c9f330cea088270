import * as ort from 'onnxruntime-node';
import type { G } from './mini-onnx.ts';

export type Feeds = Record<string, ort.Tensor>;
export function randT(dims: number[], scale = 1): ort.Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = (Math.random() - 0.5) * scale;
  return new ort.Tensor('float32', d, dims);
}
/** median ms of `reps` runs after 2 warm-ups */
export async function timeGraph(g: G, feeds: Feeds, opts: ort.InferenceSession.SessionOptions = {}, reps = 10, fetches?: ort.InferenceSession.FetchesType): Promise<number> {
  const s = await ort.InferenceSession.create(g.bytes(), { intraOpNumThreads: 2, ...opts });
  const ts: number[] = [];
  for (let i = 0; i < reps + 2; i++) {
    const t = performance.now();
    if (fetches) await s.run(feeds, fetches); else await s.run(feeds);
    if (i >= 2) ts.push(performance.now() - t);
  }
  await s.release();
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]!;
}
