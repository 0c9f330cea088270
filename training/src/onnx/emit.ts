import { FinerError } from '../util/errors.ts';
import { attr, broadcastShapes, tensor, type Dim, type DType, type Graph, type Value } from './graph.ts';

/**
 * Raw ONNX emitters with shape inference: each appends one node (or a few) and
 * returns the result with its dtype and symbolic shape. They know nothing
 * about gradients; `autodiff/ops.ts` pairs them with vector-Jacobian rules.
 */

const same = (a: Dim | undefined, b: Dim | undefined): boolean => a === b;

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export function binary(g: Graph, op: 'Add' | 'Sub' | 'Mul' | 'Div' | 'Pow', a: Value, b: Value): Value {
  return g.node1(op, [a, b], { dtype: a.dtype, shape: broadcastShapes(a.shape, b.shape, op) });
}
export const add = (g: Graph, a: Value, b: Value): Value => binary(g, 'Add', a, b);
export const sub = (g: Graph, a: Value, b: Value): Value => binary(g, 'Sub', a, b);
export const mul = (g: Graph, a: Value, b: Value): Value => binary(g, 'Mul', a, b);
export const div = (g: Graph, a: Value, b: Value): Value => binary(g, 'Div', a, b);

export function unary(g: Graph, op: 'Neg' | 'Exp' | 'Erf' | 'Sqrt' | 'Identity' | 'Not', x: Value): Value {
  return g.node1(op, [x], { dtype: x.dtype, shape: x.shape });
}

/** A scalar constant of the same element type as `like`. */
export function scalarLike(g: Graph, like: Value, x: number): Value {
  return g.scalar(x, like.dtype);
}

/** y = a @ b with numpy batching: a: [..., m, k], b: [..., k, n] -> [..., m, n]. */
export function matmul(g: Graph, a: Value, b: Value): Value {
  if (a.shape.length < 2 || b.shape.length < 2) throw new FinerError(`MatMul: operands must be at least 2-D, got [${a.shape}] and [${b.shape}]`);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (!same(k, k2)) throw new FinerError(`MatMul: inner dimensions differ: [${a.shape}] @ [${b.shape}]`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'MatMul');
  return g.node1('MatMul', [a, b], { dtype: a.dtype, shape: [...batch, m!, n!] });
}

/** y = op(a) @ op(b) + c, op = transpose when the flag is set; a, b 2-D. */
export function gemm(g: Graph, a: Value, b: Value, c: Value | null, transA: boolean, transB: boolean): Value {
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new FinerError(`Gemm: operands must be 2-D, got [${a.shape}] and [${b.shape}]`);
  const m = transA ? a.shape[1]! : a.shape[0]!;
  const k = transA ? a.shape[0] : a.shape[1];
  const k2 = transB ? b.shape[1] : b.shape[0];
  const n = transB ? b.shape[0]! : b.shape[1]!;
  if (!same(k, k2)) throw new FinerError(`Gemm: inner dimensions differ: [${a.shape}]${transA ? "'" : ''} @ [${b.shape}]${transB ? "'" : ''}`);
  const attrs = { ...(transA ? { transA: attr.int(1) } : {}), ...(transB ? { transB: attr.int(1) } : {}) };
  return g.node1('Gemm', c ? [a, b, c] : [a, b], { dtype: a.dtype, shape: [m, n] }, attrs);
}

export function transpose(g: Graph, x: Value, perm: readonly number[]): Value {
  if (perm.length !== x.shape.length) throw new FinerError(`Transpose: perm [${perm}] does not fit shape [${x.shape}]`);
  return g.node1('Transpose', [x], { dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) }, { perm: attr.ints([...perm]) });
}

/** Swap the last two axes. */
export function transposeLast2(g: Graph, x: Value): Value {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return transpose(g, x, perm);
}

export function reshape(g: Graph, x: Value, dims: readonly Dim[]): Value {
  return g.node1('Reshape', [x, g.shapeOf(dims)], { dtype: x.dtype, shape: dims });
}

function reducedShape(x: Value, axes: readonly number[], keepdims: boolean): Dim[] {
  const set = new Set(axes.map((a) => normAxis(a, x.shape.length)));
  const out: Dim[] = [];
  x.shape.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

export function reduceSum(g: Graph, x: Value, axes: readonly number[], keepdims: boolean): Value {
  return g.node1('ReduceSum', [x, g.int64s(axes)], { dtype: x.dtype, shape: reducedShape(x, axes, keepdims) }, { keepdims: attr.int(keepdims ? 1 : 0) });
}

export function reduceMean(g: Graph, x: Value, axes: readonly number[], keepdims: boolean): Value {
  return g.node1('ReduceMean', [x], { dtype: x.dtype, shape: reducedShape(x, axes, keepdims) }, {
    axes: attr.ints([...axes]),
    keepdims: attr.int(keepdims ? 1 : 0),
  });
}

export function squeeze(g: Graph, x: Value, axes: readonly number[]): Value {
  const set = new Set(axes.map((a) => normAxis(a, x.shape.length)));
  return g.node1('Squeeze', [x, g.int64s(axes)], { dtype: x.dtype, shape: x.shape.filter((_, i) => !set.has(i)) });
}

export function unsqueeze(g: Graph, x: Value, axes: readonly number[]): Value {
  const rank = x.shape.length + axes.length;
  const set = new Set(axes.map((a) => normAxis(a, rank)));
  const shape: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(set.has(i) ? 1 : x.shape[j++]!);
  return g.node1('Unsqueeze', [x, g.int64s(axes)], { dtype: x.dtype, shape });
}

/** Join along `axis`; all other dims must agree. */
export function concat(g: Graph, xs: readonly Value[], axis: number): Value {
  const first = xs[0]!;
  const ax = normAxis(axis, first.shape.length);
  const sizes = xs.map((x) => x.shape[ax]!);
  const joined: Dim = sizes.every((d): d is number => typeof d === 'number') ? sizes.reduce((a, b) => a + b, 0) : sizes.join('+');
  for (const x of xs) {
    if (x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new FinerError(`Concat: shapes [${first.shape}] and [${x.shape}] differ outside axis ${axis}`);
    }
  }
  return g.node1('Concat', xs, { dtype: first.dtype, shape: first.shape.map((d, i) => (i === ax ? joined : d)) }, { axis: attr.int(axis) });
}

/** Cut `x` along `axis` into pieces of the given fixed sizes. */
export function split(g: Graph, x: Value, axis: number, sizes: readonly number[]): Value[] {
  const ax = normAxis(axis, x.shape.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (x.shape[ax] !== total) throw new FinerError(`Split: sizes [${sizes}] do not add up to dim ${axis} of [${x.shape}]`);
  return g.node('Split', [x, g.int64s(sizes)], sizes.map((n) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === ax ? n : d)) })), { axis: attr.int(axis) });
}

export function softmax(g: Graph, x: Value, axis: number): Value {
  return g.node1('Softmax', [x], { dtype: x.dtype, shape: x.shape }, { axis: attr.int(axis) });
}

export function cast(g: Graph, x: Value, to: DType): Value {
  const code = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 }[to];
  return g.node1('Cast', [x], { dtype: to, shape: x.shape }, { to: attr.int(code) });
}

/** Zeros of a fixed or symbolic shape. */
export function zeros(g: Graph, dtype: DType, dims: readonly Dim[]): Value {
  return g.node1('ConstantOfShape', [g.shapeOf(dims)], { dtype, shape: dims, hint: 'zeros' }, { value: attr.tensor(tensor(dtype, [1], [0])) });
}

/** Broadcast `x` to `dims` (materialises it: use only where the result must be full size). */
export function expand(g: Graph, x: Value, dims: readonly Dim[]): Value {
  return g.node1('Expand', [x, g.shapeOf(dims)], { dtype: x.dtype, shape: dims });
}

export function where(g: Graph, cond: Value, a: Value, b: Value): Value {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'Where'), b.shape, 'Where');
  return g.node1('Where', [cond, a, b], { dtype: a.dtype, shape });
}

export function equal(g: Graph, a: Value, b: Value): Value {
  return g.node1('Equal', [a, b], { dtype: 'bool', shape: broadcastShapes(a.shape, b.shape, 'Equal') });
}

/** Gather rows along axis 0: table: [n, ...rest], indices: [...idx] -> [...idx, ...rest]. */
export function gather(g: Graph, table: Value, indices: Value): Value {
  return g.node1('Gather', [table, indices], { dtype: table.dtype, shape: [...indices.shape, ...table.shape.slice(1)] }, { axis: attr.int(0) });
}

/**
 * x: [m, n] -> [n], the sum of the rows (bias and LayerNorm gradients), as
 * MatMul(ones[m], x): onnxruntime's CPU ReduceSum over axis 0 is 1.2-4.6x
 * slower for [2048, 256..1024] (training/bench/NOTES.md, "Ideas not done").
 */
function sumRows(g: Graph, x: Value): Value {
  const m = g.node1('Shape', [x], { dtype: 'int64', shape: [1], hint: 'rows' }, { start: attr.int(0), end: attr.int(1) });
  const ones = g.node1('ConstantOfShape', [m], { dtype: x.dtype, shape: [x.shape[0]!], hint: 'ones' }, { value: attr.tensor(tensor(x.dtype, [1], [1])) });
  return g.node1('MatMul', [ones, x], { dtype: x.dtype, shape: [x.shape[1]!] });
}

/**
 * Sum the gradient `grad` (shape of a broadcast result) back down to `shape`,
 * the shape of the operand that was broadcast: ReduceSum over the broadcast
 * axes, then Squeeze the leading axes the operand never had.
 */
export function reduceTo(g: Graph, grad: Value, shape: readonly Dim[]): Value {
  if (grad.shape.length === 2 && shape.length === 1 && shape[0] === grad.shape[1] && shape[0] !== 1) return sumRows(g, grad);
  const lead = grad.shape.length - shape.length;
  const leading = [...Array(lead).keys()];
  const stretched: number[] = [];
  shape.forEach((d, i) => {
    if (d === 1 && grad.shape[lead + i] !== 1) stretched.push(lead + i);
  });
  if (stretched.length === 0 && leading.length === 0) return grad;
  if (stretched.length === 0) return reduceSum(g, grad, leading, false);
  const summed = reduceSum(g, grad, [...leading, ...stretched], true);
  return leading.length ? squeeze(g, summed, leading) : summed;
}
