// Dropout variants on [2048,256] (0.5M elements) and [16,4,128,128] (1M): which RNG path is fast?
import { G, FLOAT, BOOL } from './mini-onnx.ts';
import { randT, timeGraph } from './harness.ts';
for (const dims of [[2048, 256], [16, 4, 128, 128]]) {
  const variants: [string, (g: G, x: string) => { outs: string[]; types: number[] }][] = [
    ['Dropout seed', (g, x) => ({ outs: g.op('Dropout', [x, g.f32('r', [0.1], []), g.init('tm', BOOL, [], new Uint8Array([1]))], { seed: 7 }, 2), types: [FLOAT, BOOL] })],
    ['com.microsoft BitmaskDropout', (g, x) => ({ outs: g.op('BitmaskDropout', [x, g.f32('r', [0.1], []), g.init('tm', BOOL, [], new Uint8Array([1]))], { seed: 7 }, 2, 'com.microsoft'), types: [FLOAT, 12] })],
    ['com.microsoft BiasDropout(+residual)', (g, x) => ({ outs: g.op('BiasDropout', [x, g.f32('b', new Array(dims.at(-1)!).fill(0)), x, g.f32('r', [0.1], []), g.init('tm', BOOL, [], new Uint8Array([1]))], { seed: 7 }, 2, 'com.microsoft'), types: [FLOAT, BOOL] })],
    ['RandomUniformLike', (g, x) => ({ outs: [g.o('RandomUniformLike', [x], { seed: 7.5 })], types: [FLOAT] })],
  ];
  for (const [name, build] of variants) {
    const g = new G(); const x = g.input('x', FLOAT, dims);
    const { outs, types } = build(g, x);
    outs.forEach((o, i) => g.output(o, types[i]!, []));
    try { console.log(`${dims.join('x')} ${name}: ${(await timeGraph(g, { x: randT(dims) }, { intraOpNumThreads: 2 }, 20)).toFixed(2)} ms`); }
    catch (e) { console.log(`${name}: ERROR ${String(e).slice(0, 300)}`); }
  }
}
