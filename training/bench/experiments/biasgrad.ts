// Bias gradient dC[n] = sum over rows of dY[m, n]: ReduceSum(axis 0) vs MatMul(ones[m], dY) vs Gemm(ones[1,m], dY)
import { G, FLOAT } from './mini-onnx.ts';
import { randT, timeGraph } from './harness.ts';
for (const [m, n] of [[2048, 1024], [2048, 256], [2048, 768]]) {
  const row: string[] = [];
  const R = 6;
  const variants: [string, (g: G, dy: string) => string][] = [
    ['ReduceSum', (g, dy) => g.o('ReduceSum', [dy, g.i64('ax', [0])], { keepdims: 0 })],
    ['MatMul(ones[m])', (g, dy) => g.o('MatMul', [g.f32('ones', new Array(m).fill(1)), dy])],
    ['Gemm(ones[1,m])', (g, dy) => g.o('Gemm', [g.f32('ones', new Array(m).fill(1), [1, m]), dy])],
  ];
  for (const [name, f] of variants) {
    const g = new G();
    const outs: string[] = [];
    for (let i = 0; i < R; i++) { const dy = g.input(`dy${i}`, FLOAT, [m, n]); outs.push(f(g, dy)); }
    outs.forEach((o) => g.output(o, FLOAT, []));
    const feeds = Object.fromEntries(Array.from({ length: R }, (_, i) => [`dy${i}`, randT([m, n])]));
    row.push(`${name} ${((await timeGraph(g, feeds, { intraOpNumThreads: 2 }, 20)) / R).toFixed(3)} ms`);
  }
  console.log(`[${m},${n}] ` + row.join(' | '));
}
