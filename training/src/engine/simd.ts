/**
 * WebAssembly SIMD kernels for the optimizer: the AdamW update and a sum of
 * squares, four f32 lanes per instruction (f32x4.sqrt, f32x4.div). V8 runs the
 * scalar JS loop at ~5 ns per parameter (compute-bound on sqrt and div in
 * doubles); these run near memory speed.
 *
 * The module is ~300 bytes, emitted here by a small encoder rather than
 * assembled from WAT by a tool: no build step and no dependency for two
 * loops, and `WebAssembly.Module` validates every byte when it compiles. The
 * WAT each function corresponds to is in its comment; opcodes are from the
 * WebAssembly core spec 2.0 (SIMD: prefix 0xfd, then the opcode as LEB128).
 *
 * The kernels work on memory the caller owns (`memory`, imported as
 * env.mem): pointers and lengths are in bytes, lengths a multiple of 16.
 */

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const str = (s: string): number[] => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

const I32 = 0x7f, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const get = (i: number) => [0x20, ...leb(i)];
const set = (i: number) => [0x21, ...leb(i)];
const tee = (i: number) => [0x22, ...leb(i)];
const simd = (op: number) => [0xfd, ...leb(op)];
const MEMARG_16 = [4, 0]; // align 2^4, offset 0
const op = {
  i32Add: [0x6a], i32LtU: [0x49], i32GeU: [0x4f], i32Const16: [0x41, 16], f64Add: [0xa0],
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b], brIf0: [0x0d, 0],
  load: [...simd(0x00), ...MEMARG_16], store: [...simd(0x0b), ...MEMARG_16],
  f32x4Splat: simd(0x13), f32x4Sqrt: simd(0xe3), f32x4Add: simd(0xe4), f32x4Sub: simd(0xe5), f32x4Mul: simd(0xe6), f32x4Div: simd(0xe7),
  f64x2Add: simd(0xf0), f64x2Mul: simd(0xf2), f64x2PromoteLow: simd(0x5f), f64x2ExtractLane: simd(0x21),
  // lanes 2,3 of an f32x4 moved to 0,1
  shuffleHighHalf: [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7],
};

/** `for (i = 0; i < bytes; i += 16) body(i)`, the counter in local `i`. */
const loopBytes = (i: number, bytes: number, body: number[]): number[] => [
  ...op.block, ...get(i), ...get(bytes), ...op.i32GeU, ...op.brIf0,
  ...op.loop, ...body, ...get(i), ...op.i32Const16, ...op.i32Add, ...tee(i), ...get(bytes), ...op.i32LtU, ...op.brIf0, ...op.end,
  ...op.end,
];
const at = (ptr: number, i: number) => [...get(ptr), ...get(i), ...op.i32Add];

/**
 * (func $adamw (param $p $g $m $v $bytes i32)
 *   (param $gscale $beta1 $c1 $beta2 $c2 $shrink $step $invBc2 $eps f32)
 *   g = g[i] * gscale; m[i] = beta1 m[i] + c1 g; v[i] = beta2 v[i] + c2 g g
 *   p[i] = p[i] shrink - step m[i] / (sqrt(v[i]) invBc2 + eps)
 * locals: 14 = i, 15..23 = the nine f32 params splatted, 24 g, 25 m, 26 v (v128)
 */
function adamwBody(): number[] {
  const [p, g, m, v, bytes, i] = [0, 1, 2, 3, 4, 14];
  const s = (k: number) => get(15 + k); // 0 gscale 1 beta1 2 c1 3 beta2 4 c2 5 shrink 6 step 7 invBc2 8 eps
  const [gi, mi, vi] = [24, 25, 26];
  const splats = Array.from({ length: 9 }, (_, k) => [...get(5 + k), ...op.f32x4Splat, ...set(15 + k)]).flat();
  const body = [
    ...at(g, i), ...op.load, ...s(0), ...op.f32x4Mul, ...set(gi),
    ...at(m, i), ...op.load, ...s(1), ...op.f32x4Mul, ...get(gi), ...s(2), ...op.f32x4Mul, ...op.f32x4Add, ...set(mi),
    ...at(m, i), ...get(mi), ...op.store,
    ...at(v, i), ...op.load, ...s(3), ...op.f32x4Mul, ...get(gi), ...get(gi), ...op.f32x4Mul, ...s(4), ...op.f32x4Mul, ...op.f32x4Add, ...set(vi),
    ...at(v, i), ...get(vi), ...op.store,
    ...at(p, i),
    ...at(p, i), ...op.load, ...s(5), ...op.f32x4Mul,
    ...s(6), ...get(mi), ...op.f32x4Mul,
    ...get(vi), ...op.f32x4Sqrt, ...s(7), ...op.f32x4Mul, ...s(8), ...op.f32x4Add,
    ...op.f32x4Div, ...op.f32x4Sub, ...op.store,
  ];
  return [...vec([[1, I32], [12, V128]]), ...splats, ...loopBytes(i, bytes, body), ...op.end];
}

/**
 * (func $sumSquares (param $x $bytes i32) (result f64)
 *   sum of x[k]^2, each lane promoted to f64 before squaring; two f64 lanes
 *   summed at the end (deterministic: the order depends only on the length)
 * locals: 2 = i, 3 = x (v128), 4 = acc (f64x2), 5 = t (f64x2)
 */
function sumSquaresBody(): number[] {
  const [x, bytes, i, xi, acc, t] = [0, 1, 2, 3, 4, 5];
  const addSquare = [...op.f64x2PromoteLow, ...tee(t), ...get(t), ...op.f64x2Mul, ...get(acc), ...op.f64x2Add, ...set(acc)];
  const body = [
    ...at(x, i), ...op.load, ...set(xi),
    ...get(xi), ...addSquare,
    ...get(xi), ...get(xi), ...op.shuffleHighHalf, ...addSquare,
  ];
  return [
    ...vec([[1, I32], [3, V128]]), ...loopBytes(i, bytes, body),
    ...get(acc), ...op.f64x2ExtractLane, 0, ...get(acc), ...op.f64x2ExtractLane, 1, ...op.f64Add, ...op.end,
  ];
}

function moduleBytes(): Uint8Array {
  const adamwType = [0x60, ...vec([...Array(5).fill([I32]), ...Array(9).fill([F32])]), ...vec([])];
  const sumType = [0x60, ...vec([[I32], [I32]]), ...vec([[F64]])];
  const memoryImport = [...str('env'), ...str('mem'), 0x02, 0x00, ...leb(1)]; // memory, min 1 page, no max (any size fits)
  const code = [adamwBody(), sumSquaresBody()].map((b) => [...leb(b.length), ...b]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([adamwType, sumType])),
    ...section(2, vec([memoryImport])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...str('adamw'), 0x00, 0], [...str('sumSquares'), 0x00, 1]])),
    ...section(10, vec(code)),
  ]);
}

export interface SimdKernels {
  /** See `adamwBody`; pointers and `bytes` in bytes, `bytes` a multiple of 16. */
  adamw(p: number, g: number, m: number, v: number, bytes: number,
    gradScale: number, beta1: number, c1: number, beta2: number, c2: number,
    shrink: number, stepSize: number, invBc2Sqrt: number, eps: number): void;
  sumSquares(x: number, bytes: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** Instantiates the kernels over `memory` (compiled once per process, synchronously: the module is tiny). */
export function simdKernels(memory: WebAssembly.Memory): SimdKernels {
  compiled ??= new WebAssembly.Module(moduleBytes());
  return new WebAssembly.Instance(compiled, { env: { mem: memory } }).exports as unknown as SimdKernels;
}
