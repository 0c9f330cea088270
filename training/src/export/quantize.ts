import { FinerError } from '../util/errors.ts';
import {
  decodeModel,
  encodeModel,
  TensorDataType,
  type AttributeProtoJson,
  type ModelProtoJson,
  type NodeProtoJson,
  type TensorProtoJson,
} from '../onnx/proto.ts';

/**
 * 8-bit dynamic quantisation of an fp32 ONNX model, after onnxruntime's
 * `quantize_dynamic(weight_type=QInt8)`, written out with standard ONNX ops
 * only (no com.microsoft contrib ops) so that the result runs in
 * onnxruntime-web's WASM backend as well as in onnxruntime-node. Why: the
 * exported DistilBERT's size is almost all weights, and 8-bit weights make
 * the file (the browser's download) about 4x smaller.
 *
 * Linear layers. Every `Gemm` (transA = 0) and `MatMul` whose weight is a
 * float32 2-D initialiser (or a `Concat` of such initialisers: our fused
 * q/k/v weight) becomes, with A: [m, k] (MatMul: [..., m, k]), W: [k, n]:
 *
 *   DynamicQuantizeLinear(A)             -> A_q uint8 [m, k], A_scale [], A_zp uint8 []
 *   MatMulInteger(A_q, W_q, A_zp, W_zp)  -> int32 [m, n]      W_q 8-bit [k, n], W_zp []
 *   Cast(to float)                       -> float [m, n]
 *   Mul(., Mul(A_scale, W_scale))        -> float [m, n]      W_scale float [n]: one per output column
 *   Add(., beta * C)                     -> float [m, n]      when the Gemm has a bias C
 *
 * The weights are quantised symmetrically per output column:
 * q = round(W / W_scale) in [-127, 127], W_scale[j] = alpha * max_i |W[i, j]| / 127
 * (Gemm's alpha folded into the scale). A Gemm with transB = 1 stores W as
 * [n, k]; it is transposed here, at quantisation time, since MatMulInteger
 * has no transpose flags.
 *
 * How q is stored (`weightType`): by default as uint8 q + 128 with zero
 * point 128, not as int8 with zero point 0 (onnxruntime's QInt8). The
 * numbers are the same, but onnxruntime's x86 kernel for uint8 x int8 on AVX2
 * without VNNI adds pairs of products in saturating int16 (255 * 127 * 2 >
 * 32767): measured on such a CPU, the test's 2-layer models' logits were off
 * by 18-25% of the largest logit in onnxruntime-node, against 2.5% with
 * uint8 x uint8, which widens to int16 before multiplying. WASM computes both
 * exactly and identically. onnxruntime's own remedy, `reduce_range` (7-bit
 * weights), cost 6% there.
 *
 * Embeddings (`embeddings`, default true). Every `Gather` (axis 0) on a
 * float32 2-D initialiser table T: [rows, dim] becomes
 *
 *   Gather(T_q, ids)                     -> int8 [...ids, dim]   T_q int8 [rows, dim]
 *   DequantizeLinear(., T_scale, T_zp)   -> float [...ids, dim]  T_scale float [], T_zp int8 [] = 0
 *
 * with one symmetric scale per table (opset 17's DequantizeLinear cannot
 * scale per gathered row).
 *
 * The replaced fp32 initialisers (and Concat nodes folded into weights) are
 * dropped when nothing else reads them. Everything else (attention's
 * activation x activation MatMuls, LayerNorm, biases) stays float32.
 */

export interface QuantizeOptions {
  /** Store Gather tables (word and position embeddings) as int8; default true. */
  embeddings?: boolean;
  /**
   * How the matmul weights are stored: 'uint8' (default: q + 128, zero point
   * 128; exact in every onnxruntime backend) or 'int8' (zero point 0, as
   * onnxruntime's QInt8; saturates in onnxruntime-node on AVX2 CPUs without VNNI).
   */
  weightType?: 'uint8' | 'int8';
}

export interface QuantizeResult {
  /** The int8 model's `.onnx` bytes. */
  bytes: Uint8Array;
  /** Names of the fp32 initialisers that were quantised (Hugging Face parameter names for our export). */
  quantized: string[];
}

const INT8_MAX = 127;
/** Zero point of uint8-stored weights: q in [-127, 127] is stored as q + 128. */
const UINT8_ZERO = 128;

/** A float32 2-D weight as read from the model: row-major [rows, cols]. */
interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** fp32 ONNX model bytes -> int8 model bytes (dynamic quantisation of the matrix multiplies, int8 embeddings). */
export function quantizeDynamic(fp32: Uint8Array, opts: QuantizeOptions = {}): QuantizeResult {
  const model = parse(fp32);
  const weightType = opts.weightType ?? 'uint8';
  if (weightType !== 'uint8' && weightType !== 'int8') throw new FinerError(`quantize: weightType: expected 'uint8' or 'int8', got ${JSON.stringify(weightType)}`);
  const q = new Quantizer(model, opts.embeddings ?? true, weightType);
  q.run();
  return { bytes: encodeModel(model), quantized: [...q.quantized] };
}

function parse(bytes: Uint8Array): ModelProtoJson {
  const notOnnx = (why: string) => new FinerError(`quantize: the input is not an ONNX model (${why})`);
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw notOnnx('no bytes');
  let model: ModelProtoJson;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw notOnnx(`protobuf decoding failed: ${(e as Error).message}`);
  }
  const graph = model.graph as ModelProtoJson['graph'] | undefined;
  if (!graph || !Array.isArray(graph.node) || graph.node.length === 0) throw notOnnx('no graph nodes');
  if (!Array.isArray(graph.output) || graph.output.length === 0) throw notOnnx('no graph outputs');
  graph.initializer ??= [];
  graph.input ??= [];
  const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (opset === undefined) throw notOnnx('no opset import for the default ONNX domain');
  if (opset < 13) throw new FinerError(`quantize: the model uses opset ${opset}; expected 13 or later (our exports use 17)`);
  return model;
}

/** Little-endian float32 values of an initialiser (raw_data, or float_data as some exporters write). */
function floats(t: TensorProtoJson): Float32Array {
  const n = (t.dims ?? []).reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== n * 4) throw new FinerError(`quantize: initialiser ${t.name} has ${raw.length} bytes of raw data; expected ${n * 4} for float32 [${t.dims}]`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  const fd = (t as TensorProtoJson & { floatData?: number[] }).floatData;
  if (fd && fd.length === n) return Float32Array.from(fd);
  throw new FinerError(`quantize: initialiser ${t.name} has no data (external data is not supported)`);
}

function attrOf(node: NodeProtoJson, name: string): AttributeProtoJson | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}
const intAttr = (node: NodeProtoJson, name: string, dflt: number): number => {
  const a = attrOf(node, name);
  return a ? Number(a.i ?? 0) : dflt;
};
const floatAttr = (node: NodeProtoJson, name: string, dflt: number): number => {
  const a = attrOf(node, name);
  return a ? (a.f ?? 0) : dflt;
};

const bytesOf = (a: Int8Array | Float32Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice(); // platform order: little-endian on every target we run on

/**
 * Symmetric int8 per column of W: [k, n] (per tensor when `perColumn` is
 * false); `mult` scales the result (Gemm's alpha).
 */
function quantizeMatrix(w: Matrix, perColumn: boolean, mult = 1): { q: Int8Array; scale: Float32Array } {
  const { rows, cols, data } = w;
  const maxAbs = new Float64Array(perColumn ? cols : 1);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const a = Math.abs(data[i * cols + j]!);
      const c = perColumn ? j : 0;
      if (a > maxAbs[c]!) maxAbs[c] = a;
    }
  }
  for (const m of maxAbs) if (!Number.isFinite(m)) throw new FinerError('quantize: a weight holds NaN or infinity');
  const step = Float64Array.from(maxAbs, (m) => (m > 0 ? m / INT8_MAX : 1));
  const q = new Int8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = Math.round(data[i * cols + j]! / step[perColumn ? j : 0]!);
      q[i * cols + j] = Math.max(-INT8_MAX, Math.min(INT8_MAX, v));
    }
  }
  return { q, scale: Float32Array.from(step, (s) => s * mult) };
}

function transposed(w: Matrix): Matrix {
  const out = new Float32Array(w.data.length);
  for (let i = 0; i < w.rows; i++) for (let j = 0; j < w.cols; j++) out[j * w.rows + i] = w.data[i * w.cols + j]!;
  return { rows: w.cols, cols: w.rows, data: out };
}

/** Where a weight comes from: one initialiser, or a Concat of several folded into one. */
interface WeightSource {
  key: string;
  /** A readable name for the quantised tensor. */
  name: string;
  /** The fp32 initialisers it is made of. */
  parts: string[];
  read: () => Matrix;
}

class Quantizer {
  readonly quantized = new Set<string>();
  private readonly graph: ModelProtoJson['graph'];
  private readonly inits = new Map<string, TensorProtoJson>();
  private readonly producer = new Map<string, NodeProtoJson>();
  private readonly used = new Set<string>();
  private readonly added: TensorProtoJson[] = [];
  private readonly weightCache = new Map<string, { q: string; scale: string }>();
  private readonly activationCache = new Map<string, { q: string; scale: string; zp: string }>();
  private zeroInt8: string | undefined;
  private zeroUint8: string | undefined;

  constructor(
    model: ModelProtoJson,
    private readonly embeddings: boolean,
    private readonly weightType: 'uint8' | 'int8',
  ) {
    this.graph = model.graph;
    const g = this.graph;
    for (const t of g.initializer) this.inits.set(t.name, t);
    for (const n of g.node) {
      n.input ??= [];
      n.output ??= [];
      n.attribute ??= [];
      for (const o of n.output) this.producer.set(o, n);
      for (const s of [...n.input, ...n.output, n.name]) if (s) this.used.add(s);
    }
    for (const v of [...g.input, ...g.output]) this.used.add(v.name);
    for (const t of g.initializer) this.used.add(t.name);
  }

  run(): void {
    const g = this.graph;
    const out: NodeProtoJson[] = [];
    for (const node of g.node) {
      const domain = node.domain ?? '';
      const replaced = domain === '' || domain === 'ai.onnx' ? this.rewrite(node) : null;
      out.push(...(replaced ?? [node]));
    }
    g.node = out;
    g.initializer.push(...this.added);
    this.dropDead();
  }

  private fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  private isFloatInit(name: string, rank: number): TensorProtoJson | undefined {
    const t = this.inits.get(name);
    return t && (t.dataType ?? 0) === TensorDataType.float32 && (t.dims ?? []).length === rank ? t : undefined;
  }

  private matrix(t: TensorProtoJson): Matrix {
    return { rows: t.dims[0]!, cols: t.dims[1]!, data: floats(t) };
  }

  /** The weight behind `name`: a float32 2-D initialiser, or a Concat of them (our fused q/k/v). */
  private weight(name: string): WeightSource | undefined {
    const t = this.isFloatInit(name, 2);
    if (t) return { key: name, name, parts: [name], read: () => this.matrix(t) };
    const cat = this.producer.get(name);
    if (!cat || cat.opType !== 'Concat' || (cat.domain ?? '') !== '' || cat.input.length === 0) return undefined;
    const parts = cat.input.map((i) => this.isFloatInit(i, 2));
    if (parts.some((p) => !p)) return undefined;
    const ts = parts as TensorProtoJson[];
    const axis = intAttr(cat, 'axis', 0);
    const ax = axis < 0 ? axis + 2 : axis;
    if (ax !== 0 && ax !== 1) return undefined;
    const other = 1 - ax;
    if (ts.some((p) => p.dims[other] !== ts[0]!.dims[other])) return undefined;
    return {
      key: `concat(${ax}):${cat.input.join(',')}`,
      name: joinedName(cat.input),
      parts: [...cat.input],
      read: () => {
        const ms = ts.map((p) => this.matrix(p));
        const m = ax === 0 ? ms : ms.map(transposed);
        const rows = m.reduce((a, b) => a + b.rows, 0);
        const data = new Float32Array(rows * m[0]!.cols);
        let off = 0;
        for (const p of m) {
          data.set(p.data, off);
          off += p.data.length;
        }
        const joined = { rows, cols: m[0]!.cols, data };
        return ax === 0 ? joined : transposed(joined);
      },
    };
  }

  private addInit(hint: string, dims: number[], dataType: number, data: Int8Array | Float32Array | Uint8Array): string {
    const name = this.fresh(hint);
    this.added.push({ name, dims, dataType, rawData: bytesOf(data) });
    return name;
  }

  private zeroPointInt8(): string {
    this.zeroInt8 ??= this.addInit('int8_zero_point', [], TensorDataType.int8, new Int8Array(1));
    return this.zeroInt8;
  }

  /** The zero point of `weightType` weights: int8 0, or uint8 128. */
  private weightZeroPoint(): string {
    if (this.weightType === 'int8') return this.zeroPointInt8();
    this.zeroUint8 ??= this.addInit('uint8_zero_point', [], TensorDataType.uint8, Uint8Array.of(UINT8_ZERO));
    return this.zeroUint8;
  }

  private node(opType: string, inputs: string[], outputs: string[], attribute: AttributeProtoJson[] = []): NodeProtoJson {
    return { name: this.fresh(`${outputs[0]}_${opType}`), opType, input: inputs, output: outputs, attribute };
  }

  private rewrite(node: NodeProtoJson): NodeProtoJson[] | null {
    switch (node.opType) {
      case 'Gemm':
        return this.gemm(node);
      case 'MatMul':
        return this.matMul(node);
      case 'Gather':
        return this.embeddings ? this.gather(node) : null;
      default:
        return null;
    }
  }

  private gemm(node: NodeProtoJson): NodeProtoJson[] | null {
    const [a, b, c] = node.input;
    if (!a || !b || node.output.length !== 1) return null;
    if (intAttr(node, 'transA', 0) !== 0) return null; // A would need a transpose node first; our graphs never set it
    const w = this.weight(b);
    if (!w) return null;
    const transB = intAttr(node, 'transB', 0) !== 0;
    const alpha = floatAttr(node, 'alpha', 1);
    const beta = floatAttr(node, 'beta', 1);
    const bias = c ? this.scaledBias(c, beta) : undefined;
    return this.linear(node, a, w, transB, alpha, bias?.name, bias?.nodes ?? []);
  }

  private matMul(node: NodeProtoJson): NodeProtoJson[] | null {
    const [a, b] = node.input;
    if (!a || !b || node.output.length !== 1) return null;
    const w = this.weight(b);
    if (!w) return null;
    return this.linear(node, a, w, false, 1, undefined, []);
  }

  /** beta * C: folded into a new initialiser when C is one, else a Mul node. */
  private scaledBias(c: string, beta: number): { name: string; nodes: NodeProtoJson[] } {
    if (beta === 1) return { name: c, nodes: [] };
    const t = this.isFloatInit(c, (this.inits.get(c)?.dims ?? []).length);
    if (t) return { name: this.addInit(`${c}_beta`, [...t.dims], TensorDataType.float32, floats(t).map((v) => v * beta)), nodes: [] };
    const k = this.addInit(`${c}_beta_value`, [], TensorDataType.float32, Float32Array.of(beta));
    const out = this.fresh(`${c}_beta`);
    return { name: out, nodes: [this.node('Mul', [c, k], [out])] };
  }

  private linear(node: NodeProtoJson, a: string, w: WeightSource, transB: boolean, alpha: number, bias: string | undefined, pre: NodeProtoJson[]): NodeProtoJson[] {
    const y = node.output[0]!;
    const key = `${w.key}|${transB ? 'T' : 'N'}|${alpha}`;
    let wq = this.weightCache.get(key);
    if (!wq) {
      const m = w.read();
      const kn = transB ? transposed(m) : m; // [k, n]
      const { q, scale } = quantizeMatrix(kn, true, alpha);
      const stored = this.weightType === 'int8' ? q : Uint8Array.from(q, (v) => v + UINT8_ZERO);
      wq = {
        q: this.addInit(`${w.name}_quantized`, [kn.rows, kn.cols], TensorDataType[this.weightType], stored),
        scale: this.addInit(`${w.name}_scale`, [kn.cols], TensorDataType.float32, scale),
      };
      this.weightCache.set(key, wq);
    }
    for (const p of w.parts) this.quantized.add(p);

    const nodes: NodeProtoJson[] = [...pre];
    let aq = this.activationCache.get(a);
    if (!aq) {
      aq = { q: this.fresh(`${a}_quantized`), scale: this.fresh(`${a}_scale`), zp: this.fresh(`${a}_zero_point`) };
      nodes.push(this.node('DynamicQuantizeLinear', [a], [aq.q, aq.scale, aq.zp]));
      this.activationCache.set(a, aq);
    }
    const acc = this.fresh(`${y}_int32`);
    const accF = this.fresh(`${y}_int32_float`);
    const scale = this.fresh(`${y}_scale`);
    const scaled = bias ? this.fresh(`${y}_no_bias`) : y;
    nodes.push(
      this.node('MatMulInteger', [aq.q, wq.q, aq.zp, this.weightZeroPoint()], [acc]),
      this.node('Cast', [acc], [accF], [{ name: 'to', type: 2, i: TensorDataType.float32 }]),
      this.node('Mul', [aq.scale, wq.scale], [scale]),
      this.node('Mul', [accF, scale], [scaled]),
    );
    if (bias) nodes.push(this.node('Add', [scaled, bias], [y]));
    return nodes;
  }

  private gather(node: NodeProtoJson): NodeProtoJson[] | null {
    const [table, ids] = node.input;
    if (!table || !ids || node.output.length !== 1 || intAttr(node, 'axis', 0) !== 0) return null;
    const t = this.isFloatInit(table, 2);
    if (!t) return null;
    const key = `gather:${table}`;
    let tq = this.weightCache.get(key);
    if (!tq) {
      const { q, scale } = quantizeMatrix(this.matrix(t), false);
      tq = {
        q: this.addInit(`${table}_quantized`, [...t.dims], TensorDataType.int8, q),
        scale: this.addInit(`${table}_scale`, [], TensorDataType.float32, scale),
      };
      this.weightCache.set(key, tq);
    }
    this.quantized.add(table);
    const y = node.output[0]!;
    const rows = this.fresh(`${y}_int8`);
    return [
      { ...node, input: [tq.q, ids], output: [rows] },
      this.node('DequantizeLinear', [rows, tq.scale, this.zeroPointInt8()], [y]),
    ];
  }

  /** Drop nodes no graph output needs (folded Concats), then initialisers nothing reads. */
  private dropDead(): void {
    const g = this.graph;
    const live = new Set(g.output.map((o) => o.name));
    const keep = new Array<boolean>(g.node.length).fill(false);
    for (let i = g.node.length - 1; i >= 0; i--) {
      const n = g.node[i]!;
      if (!n.output.some((o) => live.has(o))) continue;
      keep[i] = true;
      for (const inp of n.input) if (inp) live.add(inp);
    }
    g.node = g.node.filter((_, i) => keep[i]);
    const dropped = new Set(g.initializer.filter((t) => !live.has(t.name)).map((t) => t.name));
    g.initializer = g.initializer.filter((t) => !dropped.has(t.name));
    g.input = g.input.filter((v) => !dropped.has(v.name)); // old exporters list initialisers as inputs too
    const withInfo = g as typeof g & { valueInfo?: Array<{ name: string }> };
    if (withInfo.valueInfo) withInfo.valueInfo = withInfo.valueInfo.filter((v) => live.has(v.name));
  }
}

/** `a.q_lin.weight`, `a.k_lin.weight` -> `a.q_lin+k_lin.weight`: a readable name for a folded Concat. */
function joinedName(names: string[]): string {
  if (names.length === 1) return names[0]!;
  let pre = names[0]!;
  for (const n of names) while (!n.startsWith(pre)) pre = pre.slice(0, -1);
  pre = pre.slice(0, pre.lastIndexOf('.') + 1);
  const rest = names.map((n) => n.slice(pre.length));
  let suf = rest[0]!;
  for (const r of rest) while (!r.endsWith(suf)) suf = suf.slice(1);
  const dot = suf.indexOf('.');
  suf = dot >= 0 ? suf.slice(dot) : '';
  const mids = rest.map((r) => r.slice(0, r.length - suf.length));
  return mids.every((m) => m.length > 0) ? `${pre}${mids.join('+')}${suf}` : names.join('+');
}
