// What would AdamW over two threads save? The trainer's kernel, split between the main thread and one worker over
// SharedArrayBuffer-backed arrays, vs the trainer's AdamW on one thread; plus the copy of the parameters into plain
// ArrayBuffers that onnxruntime-node needs (it refuses SharedArrayBuffer-backed inputs).
import { Worker } from 'node:worker_threads';
import { AdamW } from '../../src/train/adamw.ts';

const kernel = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, from: number, to: number): void => {
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8, shrink = 1 - 5e-5 * 0.01, stepSize = 5e-5, inv = 1;
  for (let i = from; i < to; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + 0.1 * gi;
    const vi = beta2 * v[i]! + 0.001 * gi * gi;
    m[i] = mi; v[i] = vi;
    p[i] = p[i]! * shrink - (stepSize * mi) / (Math.sqrt(vi) * inv + eps);
  }
};
for (const N of [7_387_909, 65_194_757]) {
  const sab = () => { const a = new Float32Array(new SharedArrayBuffer(4 * N)); for (let i = 0; i < N; i++) a[i] = (i % 97) * 1e-3; return a; };
  const [p, g, m, v] = [sab(), sab(), sab(), sab()];
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); const kernel = ${kernel.toString()};
    parentPort.on('message', ({ p, g, m, v, from, to }) => { kernel(new Float32Array(p), new Float32Array(g), new Float32Array(m), new Float32Array(v), from, to); parentPort.postMessage(0); });`, { eval: true });
  const half = N >> 1;
  const two = async (): Promise<void> => {
    const done = new Promise((r) => worker.once('message', r));
    worker.postMessage({ p: p.buffer, g: g.buffer, m: m.buffer, v: v.buffer, from: half, to: N });
    kernel(p, g, m, v, 0, half);
    await done;
  };
  const plain = new Float32Array(N);
  const single = new AdamW([{ name: 'x', shape: [N], decay: true }]);
  const P1 = new Float32Array(N), G1 = new Float32Array(N).fill(1e-3);
  const t = { one: [] as number[], two: [] as number[], copy: [] as number[] };
  for (let r = 0; r < 5; r++) {
    let s = performance.now(); single.update(new Map([['x', P1]]), new Map([['x', G1]]), 5e-5); t.one.push(performance.now() - s);
    s = performance.now(); await two(); t.two.push(performance.now() - s);
    s = performance.now(); plain.set(p); t.copy.push(performance.now() - s);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[2]!.toFixed(0);
  console.log(`${(N / 1e6).toFixed(2)} M params: trainer's AdamW 1 thread ${med(t.one)} ms | same kernel on 2 threads ${med(t.two)} ms | copy params to a plain buffer ${med(t.copy)} ms`);
  await worker.terminate();
}
