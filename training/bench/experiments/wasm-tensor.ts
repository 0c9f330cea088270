// Can onnxruntime-node read an input that is a view into a WebAssembly.Memory,
// and write a preallocated output (fetch) into one? And what does the chunked
// copy-in/copy-out of the optimizer (`train/adamw.ts`) cost next to its kernel?
import * as ort from 'onnxruntime-node';
import { G, FLOAT } from './mini-onnx.ts';
import { simdKernels } from '../../src/train/simd.ts';

const g = new G();
const y = g.o('Mul', [g.input('x', FLOAT, [4]), g.f32('two', [2], [])]); g.output(y, FLOAT, [4]);
const s = await ort.InferenceSession.create(g.bytes());
const mem = new WebAssembly.Memory({ initial: 1, maximum: 1 });
const x = new Float32Array(mem.buffer, 64, 4); x.set([1, 2, 3, 4]);
const out = new Float32Array(mem.buffer, 128, 4);
try {
  const r = await s.run({ x: new ort.Tensor('float32', x, [4]) }, { [y]: new ort.Tensor('float32', out, [4]) });
  console.log(JSON.stringify({ input_view_ok: true, output: [...(r[y]!.data as Float32Array)], written_in_place: [...out] }));
} catch (e) {
  console.log(JSON.stringify({ input_view_ok: false, error: String(e) }));
}

// kernel alone on resident data vs the same with the chunk copies, 7.39 M floats
const n = 7_390_000, CH = 4096;
const big = new WebAssembly.Memory({ initial: Math.ceil((4 * n * 4 + 2 * CH * 4) / 65536) });
const k = simdKernels(big);
const f = new Float32Array(big.buffer);
for (let i = 0; i < f.length; i++) f[i] = (i % 977) * 1e-4;
const p = new Float32Array(n).fill(0.1), gr = new Float32Array(n).fill(0.01);
const [P, Gr, M, V] = [0, 4 * n, 8 * n, 12 * n].map((b) => b + 2 * CH * 4);
const med = (fn: () => void) => { fn(); const t: number[] = []; for (let r = 0; r < 9; r++) { const t0 = performance.now(); fn(); t.push(performance.now() - t0); } return +t.sort((a, b) => a - b)[4]!.toFixed(2); };
const args = [1, 0.9, 0.1, 0.999, 0.001, 0.999, 1e-4, 1.2, 1e-8] as const;
const resident = med(() => k.adamw(P!, Gr!, M!, V!, 4 * n, ...args));
const sp = new Float32Array(big.buffer, 0, CH), sg = new Float32Array(big.buffer, CH * 4, CH);
const chunked = med(() => {
  for (let off = 0; off < n; off += CH) {
    const len = Math.min(CH, n - off);
    sp.set(p.subarray(off, off + len)); sg.set(gr.subarray(off, off + len));
    k.adamw(0, CH * 4, M! + 4 * off, V! + 4 * off, 4 * ((len + 3) & ~3), ...args);
    p.set(sp.subarray(0, len), off);
  }
});
console.log(JSON.stringify({ params: n, kernel_resident_ms: resident, kernel_chunked_copy_ms: chunked }));
