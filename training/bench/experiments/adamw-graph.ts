// AdamW over 7.39 M parameters: onnxruntime elementwise graph (2 threads) vs the trainer's JS loop, interleaved.
import * as ort from 'onnxruntime-node';
import { G, FLOAT } from './mini-onnx.ts';
import { AdamW } from '../../src/train/adamw.ts';

const N = 7_387_909;
const g = new G();
const [p, gr, m, v] = ['p', 'g', 'm', 'v'].map((n) => g.input(n, FLOAT, [N]));
const c = (name: string, x: number) => g.f32(name, [x], []);
const m2 = g.o('Add', [g.o('Mul', [m!, c('b1', 0.9)]), g.o('Mul', [gr!, c('c1', 0.1)])]);
const v2 = g.o('Add', [g.o('Mul', [v!, c('b2', 0.999)]), g.o('Mul', [g.o('Mul', [gr!, gr!]), c('c2', 0.001)])]);
const denom = g.o('Add', [g.o('Mul', [g.o('Sqrt', [v2]), c('ibc', 1.2)]), c('eps', 1e-8)]);
const p2 = g.o('Sub', [g.o('Mul', [p!, c('shrink', 0.9999)]), g.o('Div', [g.o('Mul', [m2, c('lr', 5e-5)]), denom])]);
g.output(p2, FLOAT, [N]); g.output(m2, FLOAT, [N]); g.output(v2, FLOAT, [N]);
const s = await ort.InferenceSession.create(g.bytes(), { intraOpNumThreads: 2 });
const arr = () => new Float32Array(N).map(() => Math.random() * 0.01);
const P = arr(), Gd = arr(), M = arr(), V = arr();
const outs = { [p2]: new ort.Tensor('float32', new Float32Array(N), [N]), [m2]: new ort.Tensor('float32', new Float32Array(N), [N]), [v2]: new ort.Tensor('float32', new Float32Array(N), [N]) };
const feeds = { p: new ort.Tensor('float32', P, [N]), g: new ort.Tensor('float32', Gd, [N]), m: new ort.Tensor('float32', M, [N]), v: new ort.Tensor('float32', V, [N]) };
const opt = new AdamW([{ name: 'x', shape: [N], decay: true }]);
const params = new Map([['x', P]]), grads = new Map([['x', Gd]]);
const tg: number[] = [], tj: number[] = [];
for (let i = 0; i < 8; i++) {
  let t = performance.now(); await s.run(feeds, outs); tg.push(performance.now() - t);
  t = performance.now(); opt.update(params, grads, 5e-5); tj.push(performance.now() - t);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!.toFixed(1);
console.log(`AdamW 7.39M params: onnxruntime graph (13 elementwise kernels, 2 threads) ${med(tg)} ms, trainer's JS loop ${med(tj)} ms`);
