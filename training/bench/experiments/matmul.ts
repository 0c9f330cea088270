// MatMul vs Gemm(transA/transB) vs FusedMatMul for the shapes of a DistilBERT-small training step.
import { G, FLOAT } from './mini-onnx.ts';
import { randT, timeGraph } from './harness.ts';

const threads = Number(process.argv[2] ?? 2);
const R = 4; // chain R independent products in one graph to amortise run() overhead
type Case = { name: string; M: number; K: number; N: number };
const cases: Case[] = [
  { name: 'fwd qkv  [2048,256]x[256,256]', M: 2048, K: 256, N: 256 },
  { name: 'fwd lin1 [2048,256]x[256,1024]', M: 2048, K: 256, N: 1024 },
  { name: 'fwd lin2 [2048,1024]x[1024,256]', M: 2048, K: 1024, N: 256 },
  { name: 'base lin1 [2048,768]x[768,3072]', M: 2048, K: 768, N: 3072 },
];
function gflops(c: Case, ms: number): string { return ((2 * c.M * c.K * c.N * R) / ms / 1e6).toFixed(1); }
for (const c of cases) {
  const row: string[] = [];
  // variants computing Y[M,N] = A[M,K] B[K,N] with the operands stored in different layouts.
  // 1. MatMul plain, A[M,K], B[K,N]
  // 2. MatMul with W stored [N,K] (HF Linear layout) and an explicit Transpose
  // 3. Gemm transB=1 with W [N,K]
  // 4. FusedMatMul transB=1 with W [N,K]
  // 5. dW-style: A stored [K,M] (X^T dY): Transpose+MatMul vs Gemm transA vs FusedMatMul transA
  const variants: [string, (g: G) => string[], Record<string, number[]>][] = [
    ['MatMul', (g) => { const a = g.input('a', FLOAT, [c.M, c.K]); const b = g.input('b', FLOAT, [c.K, c.N]); return Array.from({ length: R }, () => g.o('MatMul', [a, b])); }, { a: [c.M, c.K], b: [c.K, c.N] }],
    ['Transpose+MatMul(B)', (g) => { const a = g.input('a', FLOAT, [c.M, c.K]); const b = g.input('b', FLOAT, [c.N, c.K]); return Array.from({ length: R }, () => g.o('MatMul', [a, g.o('Transpose', [b], { perm: [1, 0] })])); }, { a: [c.M, c.K], b: [c.N, c.K] }],
    ['Gemm transB', (g) => { const a = g.input('a', FLOAT, [c.M, c.K]); const b = g.input('b', FLOAT, [c.N, c.K]); return Array.from({ length: R }, () => g.o('Gemm', [a, b], { transB: 1 })); }, { a: [c.M, c.K], b: [c.N, c.K] }],
    ['FusedMatMul transB', (g) => { const a = g.input('a', FLOAT, [c.M, c.K]); const b = g.input('b', FLOAT, [c.N, c.K]); return Array.from({ length: R }, () => g.o('FusedMatMul', [a, b], { transB: 1 }, 'com.microsoft')); }, { a: [c.M, c.K], b: [c.N, c.K] }],
    ['Transpose+MatMul(A)', (g) => { const a = g.input('a', FLOAT, [c.K, c.M]); const b = g.input('b', FLOAT, [c.K, c.N]); return Array.from({ length: R }, () => g.o('MatMul', [g.o('Transpose', [a], { perm: [1, 0] }), b])); }, { a: [c.K, c.M], b: [c.K, c.N] }],
    ['Gemm transA', (g) => { const a = g.input('a', FLOAT, [c.K, c.M]); const b = g.input('b', FLOAT, [c.K, c.N]); return Array.from({ length: R }, () => g.o('Gemm', [a, b], { transA: 1 })); }, { a: [c.K, c.M], b: [c.K, c.N] }],
    ['FusedMatMul transA', (g) => { const a = g.input('a', FLOAT, [c.K, c.M]); const b = g.input('b', FLOAT, [c.K, c.N]); return Array.from({ length: R }, () => g.o('FusedMatMul', [a, b], { transA: 1 }, 'com.microsoft')); }, { a: [c.K, c.M], b: [c.K, c.N] }],
  ];
  for (const [vname, build, shapes] of variants) {
    const g = new G();
    const outs = build(g);
    outs.forEach((o) => g.output(o, FLOAT, [c.M, c.N]));
    const feeds = Object.fromEntries(Object.entries(shapes).map(([k, d]) => [k, randT(d)]));
    const ms = await timeGraph(g, feeds, { intraOpNumThreads: threads, graphOptimizationLevel: 'disabled' });
    row.push(`${vname} ${gflops(c, ms)}`);
  }
  console.log(`threads=${threads} ${c.name}: GFLOP/s ` + row.join(' | '));
}
