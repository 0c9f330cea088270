import { FinerError } from '../util/errors.ts';
import { attr, tensor, type Dim, type DType, type Graph, type Value } from '../onnx/graph.ts';
import * as E from '../onnx/emit.ts';
import type { OpDef, Tape } from './tape.ts';

/**
 * The table of differentiable ops. Each entry is an ONNX op (or a small fixed
 * pattern of them, like GELU) with its forward emitter and, right beside it,
 * its vector-Jacobian rule. Gradients of broadcast operands are summed back to
 * the operand's shape (`E.reduceTo`), never by materialising the broadcast.
 */

type NoAttrs = Record<string, never>;
const none: NoAttrs = {};
const one = (v: Value) => ({ outputs: [v] });

/** Leading dims of a shape multiplied into one (a number when all are fixed, else a product symbol). */
function flattenDims(dims: readonly Dim[]): Dim {
  if (dims.every((d) => typeof d === 'number')) return (dims as number[]).reduce((a, b) => a * b, 1);
  return dims.join('*');
}

/** A value's shape read at run time: for Expand and zeros, which take no -1. */
function shapeAtRunTime(g: Graph, x: Value): Value {
  return g.node1('Shape', [x], { dtype: 'int64', shape: [x.shape.length] });
}

function expandTo(g: Graph, x: Value, like: Value): Value {
  return g.node1('Expand', [x, shapeAtRunTime(g, like)], { dtype: x.dtype, shape: like.shape });
}

// ---------------------------------------------------------------- linear algebra

export const MatMul: OpDef<NoAttrs> = {
  name: 'MatMul',
  // y = a @ b   a: [..., m, k], b: [..., k, n] -> y: [..., m, n]
  forward: (g, [a, b]) => one(E.matmul(g, a!, b!)),
  vjp(g, { inputs: [a, b] }, [dy], needs) {
    const A = a!;
    const B = b!;
    const dY = dy!;
    if (A.shape.length === 2 && B.shape.length === 2) {
      // Gemm's trans flags instead of Transpose nodes: dA = dY B^T, dB = A^T dY
      return [needs[0] ? E.gemm(g, dY, B, null, false, true) : null, needs[1] ? E.gemm(g, A, dY, null, true, false) : null];
    }
    if (B.shape.length === 2) {
      // a: [..., m, k] times a weight b: [k, n]; flatten the batch into rows for dB
      const [k, n] = B.shape as [Dim, Dim];
      const rows = flattenDims(A.shape.slice(0, -1));
      const dA = needs[0] ? E.matmul(g, dY, E.transposeLast2(g, B)) : null;
      const dB = needs[1] ? E.gemm(g, E.reshape(g, A, [rows, k]), E.reshape(g, dY, [rows, n]), null, true, false) : null;
      return [dA, dB];
    }
    const dA = needs[0] ? E.reduceTo(g, E.matmul(g, dY, E.transposeLast2(g, B)), A.shape) : null;
    const dB = needs[1] ? E.reduceTo(g, E.matmul(g, E.transposeLast2(g, A), dY), B.shape) : null;
    return [dA, dB];
  },
};

export interface GemmAttrs {
  transA: boolean;
  transB: boolean;
}
export const Gemm: OpDef<GemmAttrs> = {
  name: 'Gemm',
  // y = a' @ b' + c   a' = transA ? a^T : a  (a': [m, k], b': [k, n], c broadcasts to [m, n])
  forward: (g, [a, b, c], { transA, transB }) => one(E.gemm(g, a!, b!, c ?? null, transA, transB)),
  vjp(g, { inputs: [a, b, c], attrs: { transA, transB } }, [dy], needs) {
    const A = a!;
    const B = b!;
    const dY = dy!;
    // dA' = dY B'^T, dB' = A'^T dY, each written as one Gemm with the right flags
    const dA = !needs[0] ? null : transA ? E.gemm(g, B, dY, null, transB, true) : E.gemm(g, dY, B, null, false, !transB);
    const dB = !needs[1] ? null : transB ? E.gemm(g, dY, A, null, true, transA) : E.gemm(g, A, dY, null, !transA, false);
    const dC = c && needs[2] ? E.reduceTo(g, dY, c.shape) : null; // bias [n]: ReduceSum over axis 0
    return [dA, dB, dC];
  },
};

// ---------------------------------------------------------------- elementwise, with broadcasting

export const Add: OpDef<NoAttrs> = {
  name: 'Add',
  forward: (g, [a, b]) => one(E.add(g, a!, b!)),
  vjp: (g, { inputs: [a, b] }, [dy], needs) => [
    needs[0] ? E.reduceTo(g, dy!, a!.shape) : null,
    needs[1] ? E.reduceTo(g, dy!, b!.shape) : null,
  ],
};

export const Sub: OpDef<NoAttrs> = {
  name: 'Sub',
  forward: (g, [a, b]) => one(E.sub(g, a!, b!)),
  vjp: (g, { inputs: [a, b] }, [dy], needs) => [
    needs[0] ? E.reduceTo(g, dy!, a!.shape) : null,
    needs[1] ? E.unary(g, 'Neg', E.reduceTo(g, dy!, b!.shape)) : null,
  ],
};

export const Mul: OpDef<NoAttrs> = {
  name: 'Mul',
  forward: (g, [a, b]) => one(E.mul(g, a!, b!)),
  vjp: (g, { inputs: [a, b] }, [dy], needs) => [
    needs[0] ? E.reduceTo(g, E.mul(g, dy!, b!), a!.shape) : null,
    needs[1] ? E.reduceTo(g, E.mul(g, dy!, a!), b!.shape) : null,
  ],
};

export const Div: OpDef<NoAttrs> = {
  name: 'Div',
  // y = a / b: dA = dY / b, dB = -dY a / b^2 = -(dY y) / b
  forward: (g, [a, b]) => one(E.div(g, a!, b!)),
  vjp: (g, { inputs: [a, b], outputs: [y] }, [dy], needs) => [
    needs[0] ? E.reduceTo(g, E.div(g, dy!, b!), a!.shape) : null,
    needs[1] ? E.reduceTo(g, E.unary(g, 'Neg', E.div(g, E.mul(g, dy!, y!), b!)), b!.shape) : null,
  ],
};

export const Erf: OpDef<NoAttrs> = {
  name: 'Erf',
  // d erf(x)/dx = 2/sqrt(pi) exp(-x^2)
  forward: (g, [x]) => one(E.unary(g, 'Erf', x!)),
  vjp(g, { inputs: [x] }, [dy]) {
    const X = x!;
    const e = E.unary(g, 'Exp', E.mul(g, E.mul(g, X, X), E.scalarLike(g, X, -1)));
    return [E.mul(g, dy!, E.mul(g, e, E.scalarLike(g, X, 2 / Math.sqrt(Math.PI))))];
  },
};

export const Gelu: OpDef<NoAttrs> = {
  name: 'Gelu',
  // exact GELU, as HF's "gelu": y = x * cdf,  cdf = 0.5 (1 + erf(x / sqrt 2)); plain ONNX ops (no Gelu op before opset 20)
  forward(g, [x]) {
    const X = x!;
    const erf = E.unary(g, 'Erf', E.mul(g, X, E.scalarLike(g, X, Math.SQRT1_2)));
    const cdf = E.mul(g, E.add(g, erf, E.scalarLike(g, X, 1)), E.scalarLike(g, X, 0.5));
    return { outputs: [E.mul(g, X, cdf)], saved: [cdf] };
  },
  // dy/dx = cdf + x pdf,  pdf = exp(-x^2 / 2) / sqrt(2 pi); cdf comes from the forward
  vjp(g, { inputs: [x], saved: [cdf] }, [dy]) {
    const X = x!;
    const pdf = E.mul(g, E.unary(g, 'Exp', E.mul(g, E.mul(g, X, X), E.scalarLike(g, X, -0.5))), E.scalarLike(g, X, 1 / Math.sqrt(2 * Math.PI)));
    return [E.mul(g, dy!, E.add(g, cdf!, E.mul(g, X, pdf)))];
  },
};

export const Cast: OpDef<{ to: DType }> = {
  name: 'Cast',
  forward: (g, [x], { to }) => one(E.cast(g, x!, to)),
  vjp: (g, { inputs: [x] }, [dy]) => [E.cast(g, dy!, x!.dtype)],
};

// ---------------------------------------------------------------- shape

export const Reshape: OpDef<{ dims: readonly Dim[] }> = {
  name: 'Reshape',
  forward: (g, [x], { dims }) => one(E.reshape(g, x!, dims)),
  vjp: (g, { inputs: [x] }, [dy]) => [E.reshape(g, dy!, x!.shape)],
};

export const Transpose: OpDef<{ perm: readonly number[] }> = {
  name: 'Transpose',
  forward: (g, [x], { perm }) => one(E.transpose(g, x!, perm)),
  vjp(g, { attrs: { perm } }, [dy]) {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [E.transpose(g, dy!, inverse)];
  },
};

export const Concat: OpDef<{ axis: number }> = {
  name: 'Concat',
  forward: (g, xs, { axis }) => one(E.concat(g, xs, axis)),
  // the gradient of each piece is its slice of dY
  vjp(g, { inputs, attrs: { axis } }, [dy]) {
    const ax = axis < 0 ? axis + dy!.shape.length : axis;
    const sizes = inputs.map((x) => x.shape[ax]);
    if (!sizes.every((d): d is number => typeof d === 'number')) throw new FinerError(`Concat: gradient needs fixed sizes on axis ${axis}, got [${sizes}]`);
    return E.split(g, dy!, axis, sizes);
  },
};

export const Split: OpDef<{ axis: number; sizes: readonly number[] }> = {
  name: 'Split',
  forward: (g, [x], { axis, sizes }) => ({ outputs: E.split(g, x!, axis, sizes) }),
  // dX = the pieces' gradients joined again; a piece nothing used contributes zeros
  vjp(g, { outputs, attrs: { axis } }, dys) {
    const pieces = outputs.map((o, i) => dys[i] ?? g.node1('ConstantOfShape', [shapeAtRunTime(g, o)], { dtype: o.dtype, shape: o.shape, hint: 'zeros' }, { value: attr.tensor(tensor(o.dtype, [1], [0])) }));
    return [E.concat(g, pieces, axis)];
  },
};

// ---------------------------------------------------------------- reductions

export const ReduceSum: OpDef<{ axes: readonly number[]; keepdims: boolean }> = {
  name: 'ReduceSum',
  forward: (g, [x], { axes, keepdims }) => one(E.reduceSum(g, x!, axes, keepdims)),
  vjp(g, { inputs: [x], attrs: { axes, keepdims } }, [dy]) {
    const kept = keepdims ? dy! : E.unsqueeze(g, dy!, axes);
    return [expandTo(g, kept, x!)];
  },
};

export const ReduceMean: OpDef<{ axes: readonly number[]; keepdims: boolean }> = {
  name: 'ReduceMean',
  forward: (g, [x], { axes, keepdims }) => one(E.reduceMean(g, x!, axes, keepdims)),
  vjp(g, { inputs: [x], attrs: { axes, keepdims } }, [dy]) {
    const X = x!;
    const sizes = axes.map((a) => X.shape[a < 0 ? a + X.shape.length : a]);
    if (!sizes.every((d): d is number => typeof d === 'number')) throw new FinerError(`ReduceMean: gradient needs fixed sizes on axes [${axes}] of [${X.shape}]`);
    const count = sizes.reduce((a, b) => a * b, 1);
    const kept = keepdims ? dy! : E.unsqueeze(g, dy!, axes);
    return [expandTo(g, E.mul(g, kept, E.scalarLike(g, X, 1 / count)), X)];
  },
};

// ---------------------------------------------------------------- normalisation and attention

export const Softmax: OpDef<{ axis: number }> = {
  name: 'Softmax',
  // dx = y * (dy - sum(dy * y, axis))
  forward: (g, [x], { axis }) => one(E.softmax(g, x!, axis)),
  vjp(g, { outputs: [y], attrs: { axis } }, [dy]) {
    const Y = y!;
    const dot = E.reduceSum(g, E.mul(g, dy!, Y), [axis], true);
    return [E.mul(g, Y, E.sub(g, dy!, dot))];
  },
};

export const LayerNorm: OpDef<{ epsilon: number }> = {
  name: 'LayerNormalization',
  // over the last axis: x: [..., d], gamma, beta: [d]; mean, invStd: [..., 1]
  forward(g, [x, gamma, beta], { epsilon }, training) {
    const X = x!;
    const stat = [...X.shape.slice(0, -1), 1];
    // Mean and InvStdDev are float32 whatever X is (ONNX's type U with stash_type 1), so doubles are out
    if (training && X.dtype !== 'float32') throw new FinerError(`LayerNormalization: training graphs need float32, got ${X.dtype}`);
    const outs = g.node(
      'LayerNormalization',
      [X, gamma!, beta!],
      training ? [{ dtype: X.dtype, shape: X.shape }, { dtype: X.dtype, shape: stat, hint: 'ln_mean' }, { dtype: X.dtype, shape: stat, hint: 'ln_invstd' }] : [{ dtype: X.dtype, shape: X.shape }],
      { axis: attr.int(-1), epsilon: attr.float(epsilon) },
    );
    return { outputs: [outs[0]!], saved: outs.slice(1) };
  },
  // llm.c's layernorm_backward: xhat = (x - mean) invStd,
  // dx = invStd (g dy - mean(g dy) - xhat mean(g dy xhat)), dgamma = sum(dy xhat), dbeta = sum(dy)
  vjp(g, { inputs: [x, gamma, beta], saved: [mean, invStd] }, [dy], needs) {
    const X = x!;
    const dY = dy!;
    const xhat = E.mul(g, E.sub(g, X, mean!), invStd!);
    let dX: Value | null = null;
    if (needs[0]) {
      const dxhat = E.mul(g, dY, gamma!);
      const m1 = E.reduceMean(g, dxhat, [-1], true);
      const m2 = E.reduceMean(g, E.mul(g, dxhat, xhat), [-1], true);
      dX = E.mul(g, E.sub(g, E.sub(g, dxhat, m1), E.mul(g, xhat, m2)), invStd!);
    }
    const dGamma = needs[1] ? E.reduceTo(g, E.mul(g, dY, xhat), gamma!.shape) : null;
    const dBeta = needs[2] ? E.reduceTo(g, dY, beta!.shape) : null;
    return [dX, dGamma, dBeta];
  },
};

export const Where: OpDef<NoAttrs> = {
  name: 'Where',
  forward: (g, [cond, a, b]) => one(E.where(g, cond!, a!, b!)),
  vjp(g, { inputs: [cond, a, b] }, [dy], needs) {
    const zero = E.scalarLike(g, dy!, 0);
    return [
      null,
      needs[1] ? E.reduceTo(g, E.where(g, cond!, dy!, zero), a!.shape) : null,
      needs[2] ? E.reduceTo(g, E.where(g, cond!, zero, dy!), b!.shape) : null,
    ];
  },
};

export const Dropout: OpDef<{ ratio: number; seed: number }> = {
  name: 'Dropout',
  // y = x * mask / (1 - ratio); the bool mask is a forward output, reused by the rule
  forward(g, [x], { ratio, seed }) {
    const X = x!;
    const [y, mask] = g.node(
      'Dropout',
      [X, g.scalar(ratio, X.dtype), g.constant(tensor('bool', [], [1]), 'training_mode')],
      [{ dtype: X.dtype, shape: X.shape }, { dtype: 'bool', shape: X.shape, hint: 'dropout_mask' }],
      { seed: attr.int(seed) },
    );
    return { outputs: [y!], saved: [mask!] };
  },
  vjp(g, { inputs: [x], saved: [mask], attrs: { ratio } }, [dy]) {
    const zero = E.scalarLike(g, dy!, 0);
    return [E.mul(g, E.where(g, mask!, dy!, zero), E.scalarLike(g, x!, 1 / (1 - ratio)))];
  },
};

/**
 * Rows of `table` picked by integer `indices`: the embedding lookup. Like
 * torch's `nn.Embedding(padding_idx=...)`, the padding row gets no gradient.
 */
export const Gather: OpDef<{ paddingIdx?: number }> = {
  name: 'Gather',
  // table: [n, d], indices: [...] -> [..., d]
  forward: (g, [table, indices]) => one(E.gather(g, table!, indices!)),
  // dTable = zeros [n, d] with each dY row added at its index (ScatterND, reduction="add": repeated ids accumulate)
  vjp(g, { inputs: [table, indices], attrs: { paddingIdx } }, [dy]) {
    const T = table!;
    // a computed table (hidden states [batch*seq, dim] gathered at the masked positions) has a product
    // dimension that ConstantOfShape cannot take as -1: its zeros take the table's run-time shape
    const fixed = T.shape.every((d) => typeof d === 'number');
    const zeros = fixed
      ? E.zeros(g, T.dtype, T.shape)
      : g.node1('ConstantOfShape', [shapeAtRunTime(g, T)], { dtype: T.dtype, shape: T.shape, hint: 'zeros' }, { value: attr.tensor(tensor(T.dtype, [1], [0])) });
    const idx = E.unsqueeze(g, indices!, [-1]); // [..., 1]
    let dT = g.node1('ScatterND', [zeros, idx, dy!], { dtype: T.dtype, shape: T.shape, hint: 'embedding_grad' }, { reduction: attr.string('add') });
    if (paddingIdx !== undefined) {
      const d = T.shape[1];
      if (T.shape.length !== 2 || typeof d !== 'number') throw new FinerError(`Gather: padding_idx needs a fixed 2-D table, got [${T.shape}]`);
      const row = g.constant(tensor('int64', [1, 1], [paddingIdx]), 'padding_idx');
      const zeroRow = g.constant(tensor(T.dtype, [1, d], new Array<number>(d).fill(0)), 'zero_row');
      dT = g.node1('ScatterND', [dT, row, zeroRow], { dtype: T.dtype, shape: T.shape, hint: 'embedding_grad' }); // overwrite the padding row
    }
    return [dT, null];
  },
};

export const SoftmaxCrossEntropy: OpDef<{ ignoreIndex: number }> = {
  name: 'SoftmaxCrossEntropyLoss',
  // scores: [n, c], labels: [n] (ignoreIndex = skip) -> mean loss over the kept rows: []
  forward(g, [scores, labels], { ignoreIndex }, training) {
    const S = scores!;
    const outs = g.node(
      'SoftmaxCrossEntropyLoss',
      [S, labels!],
      training ? [{ dtype: S.dtype, shape: [], hint: 'loss' }, { dtype: S.dtype, shape: S.shape, hint: 'log_prob' }] : [{ dtype: S.dtype, shape: [], hint: 'loss' }],
      { ignore_index: attr.int(ignoreIndex), reduction: attr.string('mean') },
    );
    return { outputs: [outs[0]!], saved: outs.slice(1) };
  },
  // dScores = (softmax - onehot(label)) * kept / max(#kept, 1) * dLoss; softmax = exp(log_prob) from the forward
  vjp(g, { inputs: [scores, labels], saved: [logProb], attrs: { ignoreIndex } }, [dLoss]) {
    const S = scores!;
    const L = labels!;
    const c = S.shape[1];
    if (typeof c !== 'number') throw new FinerError(`SoftmaxCrossEntropyLoss: the class count must be fixed, got [${S.shape}]`);
    const p = E.unary(g, 'Exp', logProb!);
    const classes = g.constant(tensor('int64', [c], [...Array(c).keys()]), 'classes');
    const onehot = E.cast(g, E.equal(g, E.unsqueeze(g, L, [-1]), classes), S.dtype); // ignored rows match no class
    const kept = E.cast(g, E.unary(g, 'Not', E.equal(g, L, g.scalar(ignoreIndex, 'int64'))), S.dtype); // [n]
    const count = g.node1('Max', [E.reduceSum(g, kept, [0], false), E.scalarLike(g, S, 1)], { dtype: S.dtype, shape: [] });
    const w = E.mul(g, E.div(g, kept, count), dLoss!); // [n]
    return [E.mul(g, E.sub(g, p, onehot), E.unsqueeze(g, w, [-1])), null];
  },
};

// ---------------------------------------------------------------- the functions model code calls

const first = (vs: Value[]): Value => vs[0]!;

export const matmul = (t: Tape, a: Value, b: Value): Value => first(t.apply(MatMul, [a, b], none));
export const gemm = (t: Tape, a: Value, b: Value, c: Value | null, transA = false, transB = false): Value =>
  first(t.apply(Gemm, c ? [a, b, c] : [a, b], { transA, transB }));
/** torch.nn.Linear: x: [n, in], weight: [out, in] (HF layout), bias: [out] -> [n, out] */
export const linear = (t: Tape, x: Value, weight: Value, bias: Value | null): Value => gemm(t, x, weight, bias, false, true);
export const add = (t: Tape, a: Value, b: Value): Value => first(t.apply(Add, [a, b], none));
export const sub = (t: Tape, a: Value, b: Value): Value => first(t.apply(Sub, [a, b], none));
export const mul = (t: Tape, a: Value, b: Value): Value => first(t.apply(Mul, [a, b], none));
export const div = (t: Tape, a: Value, b: Value): Value => first(t.apply(Div, [a, b], none));
export const erf = (t: Tape, x: Value): Value => first(t.apply(Erf, [x], none));
export const gelu = (t: Tape, x: Value): Value => first(t.apply(Gelu, [x], none));
export const cast = (t: Tape, x: Value, to: DType): Value => first(t.apply(Cast, [x], { to }));
export const reshape = (t: Tape, x: Value, dims: readonly Dim[]): Value => first(t.apply(Reshape, [x], { dims }));
export const transpose = (t: Tape, x: Value, perm: readonly number[]): Value => first(t.apply(Transpose, [x], { perm }));
export const concat = (t: Tape, xs: readonly Value[], axis: number): Value => first(t.apply(Concat, xs, { axis }));
export const split = (t: Tape, x: Value, axis: number, sizes: readonly number[]): Value[] => t.apply(Split, [x], { axis, sizes });
export const reduceSum = (t: Tape, x: Value, axes: readonly number[], keepdims = false): Value => first(t.apply(ReduceSum, [x], { axes, keepdims }));
export const reduceMean = (t: Tape, x: Value, axes: readonly number[], keepdims = false): Value => first(t.apply(ReduceMean, [x], { axes, keepdims }));
export const softmax = (t: Tape, x: Value, axis = -1): Value => first(t.apply(Softmax, [x], { axis }));
export const layerNorm = (t: Tape, x: Value, gamma: Value, beta: Value, epsilon: number): Value => first(t.apply(LayerNorm, [x, gamma, beta], { epsilon }));
export const where = (t: Tape, cond: Value, a: Value, b: Value): Value => first(t.apply(Where, [cond, a, b], none));
export const gather = (t: Tape, table: Value, indices: Value, paddingIdx?: number): Value =>
  first(t.apply(Gather, [table, indices], paddingIdx === undefined ? {} : { paddingIdx }));
export const softmaxCrossEntropy = (t: Tape, scores: Value, labels: Value, ignoreIndex = -100): Value =>
  first(t.apply(SoftmaxCrossEntropy, [scores, labels], { ignoreIndex }));

/** Dropout in training; the identity (no node at all) at inference or with ratio 0. */
export function dropout(t: Tape, x: Value, ratio: number, seed: number): Value {
  if (!t.training || ratio === 0) return x;
  return first(t.apply(Dropout, [x], { ratio, seed }));
}
