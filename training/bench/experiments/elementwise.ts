// Elementwise / normalisation kernels at DistilBERT-small training shapes, 1 vs 2 threads.
import * as ort from 'onnxruntime-node';
import { G, FLOAT, BOOL } from './mini-onnx.ts';
import { randT, timeGraph } from './harness.ts';

const H = [2048, 1024], D = [2048, 256], S = [16, 4, 128, 128];
type Build = (g: G, x: string) => string[];
const boolAttr = (v: boolean) => ({ tensor: { dims: [], type: BOOL, raw: new Uint8Array([v ? 1 : 0]) } });
const cases: [string, number[], Build][] = [
  ['GELU as Erf chain [2048,1024]', H, (g, x) => {
    const e = g.o('Erf', [g.o('Mul', [x, g.f32('r2', [Math.SQRT1_2], [])])]);
    return [g.o('Mul', [g.o('Mul', [x, g.f32('half', [0.5], [])]), g.o('Add', [e, g.f32('one', [1], [])])])];
  }],
  ['com.microsoft Gelu [2048,1024]', H, (g, x) => [g.o('Gelu', [x], {}, 'com.microsoft')]],
  ['Erf alone [2048,1024]', H, (g, x) => [g.o('Erf', [x])]],
  ['Mul by const [2048,1024]', H, (g, x) => [g.o('Mul', [x, g.f32('c', [0.5], [])])]],
  ['Dropout(0.1, seed) [2048,1024] y+mask', H, (g, x) => {
    const ratio = g.f32('ratio', [0.1], []);
    const tm = g.init('tm', BOOL, [], new Uint8Array([1]));
    return g.op('Dropout', [x, ratio, tm], { seed: 42 }, 2);
  }],
  ['Dropout(0.1, seed) [16,4,128,128] y+mask', S, (g, x) => {
    const ratio = g.f32('ratio', [0.1], []);
    const tm = g.init('tm', BOOL, [], new Uint8Array([1]));
    return g.op('Dropout', [x, ratio, tm], { seed: 42 }, 2);
  }],
  ['Softmax(-1) [16,4,128,128]', S, (g, x) => [g.o('Softmax', [x], { axis: -1 })]],
  ['Where(mask,x*1.11,0) [16,4,128,128]', S, (g, x) => {
    const m = g.o('Less', [x, g.f32('thr', [0.4], [])]);
    return [g.o('Where', [m, g.o('Mul', [x, g.f32('sc', [1.11], [])]), g.f32('z', [0], [])])];
  }],
  ['LayerNormalization [2048,256]', D, (g, x) => [g.o('LayerNormalization', [x, g.f32('w', new Array(256).fill(1)), g.f32('b', new Array(256).fill(0))], { axis: -1, epsilon: 1e-12 })]],
  ['LayerNormalization 3 outputs [2048,256]', D, (g, x) => g.op('LayerNormalization', [x, g.f32('w', new Array(256).fill(1)), g.f32('b', new Array(256).fill(0))], { axis: -1, epsilon: 1e-12 }, 3)],
  ['ReduceSum axis0 [2048,1024]->[1024]', H, (g, x) => [g.o('ReduceSum', [x, g.i64('ax', [0])], { keepdims: 0 })]],
  ['ReduceSum axis-1 [16,4,128,128]', S, (g, x) => [g.o('ReduceSum', [x, g.i64('ax', [-1])], { keepdims: 1 })]],
  ['Transpose 0213 [16,128,4,64]', [16, 128, 4, 64], (g, x) => [g.o('Transpose', [x], { perm: [0, 2, 1, 3] })]],
];
void ort;
for (const threads of [1, 2]) {
  for (const [name, dims, build] of cases) {
    const g = new G();
    const x = g.input('x', FLOAT, dims);
    const outs = build(g, x);
    outs.forEach((o) => g.output(o, o === outs[1] && name.startsWith('Dropout') ? BOOL : FLOAT, []));
    try {
      const ms = await timeGraph(g, { x: randT(dims) }, { intraOpNumThreads: threads }, 20);
      console.log(`threads=${threads} ${name}: ${ms.toFixed(3)} ms`);
    } catch (e) { console.log(`threads=${threads} ${name}: ERROR ${String(e).slice(0, 200)}`); }
  }
}
