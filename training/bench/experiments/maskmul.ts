// Dropout backward on [16,4,128,128]: Where(mask, dy, 0) * s  vs  Cast(mask) * dy * s  vs  dy * floatMask
import { G, FLOAT, BOOL } from './mini-onnx.ts';
import { randT, timeGraph } from './harness.ts';
import * as ort from 'onnxruntime-node';
const dims = [16, 4, 128, 128], n = 16 * 4 * 128 * 128;
const m = new Uint8Array(n).map(() => (Math.random() < 0.9 ? 1 : 0));
const maskT = new ort.Tensor('bool', m, dims);
const fm = new ort.Tensor('float32', Float32Array.from(m, (v) => v / 0.9), dims);
const builds: [string, (g: G, dy: string) => string, Record<string, ort.Tensor>][] = [
  ['Where(mask,dy,0)*s', (g, dy) => g.o('Mul', [g.o('Where', [g.input('m', BOOL, dims), dy, g.f32('z', [0], [])]), g.f32('s', [1 / 0.9], [])]), { m: maskT }],
  ['Cast(mask)*dy*s', (g, dy) => g.o('Mul', [g.o('Mul', [g.o('Cast', [g.input('m', BOOL, dims)], { to: FLOAT }), dy]), g.f32('s', [1 / 0.9], [])]), { m: maskT }],
  ['dy*floatMask', (g, dy) => g.o('Mul', [dy, g.input('m', FLOAT, dims)]), { m: fm }],
];
for (const [name, b, extra] of builds) {
  const g = new G(); const dy = g.input('dy', FLOAT, dims); g.output(b(g, dy), FLOAT, dims);
  console.log(`${name}: ${(await timeGraph(g, { dy: randT(dims), ...extra }, { intraOpNumThreads: 2 }, 20)).toFixed(2)} ms`);
}
