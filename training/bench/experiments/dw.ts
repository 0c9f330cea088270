// Weight-gradient products dW = dY^T X (HF layout [out, in]) at the base shape: which formulation is fastest?
// X: [2048, in], dY: [2048, out]  ->  dW: [out, in]
import { G, FLOAT } from './mini-onnx.ts';
import { randT, timeGraph } from './harness.ts';
const M = 2048;
for (const [inD, outD] of [[768, 3072], [3072, 768], [768, 2304], [256, 1024], [1024, 256]]) {
  const flops = 2 * M * inD * outD;
  const variants: [string, (g: G, x: string, dy: string) => string][] = [
    ['Gemm(dY, X, transA)', (g, x, dy) => g.o('Gemm', [dy, x], { transA: 1 })],
    ['Gemm(X, dY, transA) then Transpose', (g, x, dy) => g.o('Transpose', [g.o('Gemm', [x, dy], { transA: 1 })], { perm: [1, 0] })],
    ['Transpose(dY) MatMul X', (g, x, dy) => g.o('MatMul', [g.o('Transpose', [dy], { perm: [1, 0] }), x])],
    ['FusedMatMul transA', (g, x, dy) => g.o('FusedMatMul', [dy, x], { transA: 1 }, 'com.microsoft')],
  ];
  const row: string[] = [];
  for (const [name, f] of variants) {
    const g = new G();
    const x = g.input('x', FLOAT, [M, inD]), dy = g.input('dy', FLOAT, [M, outD]);
    g.output(f(g, x, dy), FLOAT, [outD, inD]);
    const ms = await timeGraph(g, { x: randT([M, inD]), dy: randT([M, outD]) }, { intraOpNumThreads: 2 }, 8);
    row.push(`${name} ${(flops / ms / 1e6).toFixed(0)}`);
  }
  console.log(`dW [${outD},${inD}] GFLOP/s: ${row.join(' | ')}`);
}
