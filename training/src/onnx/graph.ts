import { FinerError } from '../util/errors.ts';
import {
  encodeModel,
  TensorDataType,
  type AttributeProtoJson,
  type ModelProtoJson,
  type TensorProtoJson,
  type ValueInfoProtoJson,
} from './proto.ts';

/** Element types our graphs use. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

/**
 * One dimension of a tensor: a number when it is fixed when the graph is built,
 * a symbol when it is known only at run time ('batch', 'seq'). A product of
 * symbols is written 'batch*seq'; it can only be reshaped to as -1.
 */
export type Dim = number | string;

/** A tensor flowing through the graph: its name, element type and shape. */
export interface Value {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

/** A constant tensor (an initialiser or a `value` attribute). */
export interface Tensor {
  dtype: DType;
  dims: number[];
  data: TensorData;
}

export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: Tensor };

/** Typed attribute constructors: ONNX tells ints from floats, JavaScript does not. */
export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  ints: (value: number[]): Attr => ({ kind: 'ints', value }),
  floats: (value: number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  tensor: (value: Tensor): Attr => ({ kind: 'tensor', value }),
};

export interface Node {
  name: string;
  opType: string;
  domain: string;
  inputs: string[]; // '' = optional input left out
  outputs: string[];
  attrs: Record<string, Attr>;
}

export interface OutputSpec {
  dtype: DType;
  shape: readonly Dim[];
  hint?: string;
}

/** Opset 17: the first with LayerNormalization; every op we emit runs in onnxruntime-web (WASM and WebGPU). */
export const OPSET = 17;
const IR_VERSION = 8; // the IR version that goes with opset 17

export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function dataFor(dtype: DType, values: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(v));
    case 'int32':
      return Int32Array.from(values);
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}

/** A constant tensor from plain numbers. */
export function tensor(dtype: DType, dims: number[], values: readonly number[]): Tensor {
  if (numel(dims) !== values.length) throw new Error(`tensor: ${values.length} values for shape [${dims}]`);
  return { dtype, dims, data: dataFor(dtype, values) };
}

function tensorProto(name: string, t: Tensor): TensorProtoJson {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength); // little-endian, as ONNX raw_data wants
  return { name, dims: t.dims, dataType: TensorDataType[t.dtype], rawData: bytes };
}

/**
 * An ONNX graph under construction. Nodes are appended in execution order, so
 * the node list is always a topological order. Helpers here are the raw ONNX
 * vocabulary; `autodiff/ops.ts` builds differentiable ops on top.
 */
export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers = new Map<string, Tensor>();
  private readonly values = new Map<string, Value>();
  private readonly used = new Set<string>();
  private counter = 0;
  private readonly dimSources = new Map<string, { value: Value; axis: number }>();
  private readonly cache = new Map<string, Value>();

  constructor(readonly name = 'graph') {}

  /** A name not yet used in this graph. */
  fresh(hint: string): string {
    let name = `${hint}_${this.counter++}`;
    while (this.used.has(name)) name = `${hint}_${this.counter++}`;
    this.used.add(name);
    return name;
  }

  private claim(name: string): void {
    if (this.used.has(name)) throw new Error(`graph: name ${name} used twice`);
    this.used.add(name);
  }

  value(name: string): Value {
    const v = this.values.get(name);
    if (!v) throw new Error(`graph: no value named ${name}`);
    return v;
  }

  private define(name: string, dtype: DType, shape: readonly Dim[]): Value {
    const v: Value = { name, dtype, shape: [...shape] };
    this.values.set(name, v);
    return v;
  }

  input(name: string, dtype: DType, shape: readonly Dim[]): Value {
    this.claim(name);
    const v = this.define(name, dtype, shape);
    this.inputs.push(v);
    return v;
  }

  /** A named initialiser (exported weights carry their Hugging Face names). */
  initializer(name: string, t: Tensor): Value {
    this.claim(name);
    return this.addInitializer(name, t);
  }

  private addInitializer(name: string, t: Tensor): Value {
    this.initializers.set(name, t);
    return this.define(name, t.dtype, t.dims);
  }

  /** An anonymous constant; identical small constants are shared. */
  constant(t: Tensor, hint = 'const'): Value {
    const small = t.data.length <= 16;
    const key = small ? `${t.dtype}[${t.dims}]=${Array.from(t.data as ArrayLike<number | bigint>).join(',')}` : '';
    if (small && this.cache.has(key)) return this.cache.get(key)!;
    const v = this.addInitializer(this.fresh(hint), t);
    if (small) this.cache.set(key, v);
    return v;
  }

  scalar(x: number, dtype: DType = 'float32'): Value {
    return this.constant(tensor(dtype, [], [x]), 'scalar');
  }

  int64s(xs: readonly number[]): Value {
    return this.constant(tensor('int64', [xs.length], xs), 'ints');
  }

  /** Append one node; returns its outputs. A `null` input is an optional input left out. */
  node(opType: string, inputs: ReadonlyArray<Value | null>, outputs: readonly OutputSpec[], attrs: Record<string, Attr> = {}, domain = ''): Value[] {
    const outs = outputs.map((o) => {
      const name = this.fresh(o.hint ?? opType.toLowerCase());
      return this.define(name, o.dtype, o.shape);
    });
    this.nodes.push({
      name: this.fresh(`n_${opType}`),
      opType,
      domain,
      inputs: inputs.map((v) => (v ? v.name : '')),
      outputs: outs.map((v) => v.name),
      attrs,
    });
    return outs;
  }

  /** Append a node with exactly one output. */
  node1(opType: string, inputs: ReadonlyArray<Value | null>, out: OutputSpec, attrs: Record<string, Attr> = {}): Value {
    return this.node(opType, inputs, [out], attrs)[0]!;
  }

  /** Make `v` a graph output named `name` (through an Identity when the name differs). */
  output(v: Value, name = v.name): Value {
    let out = v;
    if (v.name !== name) {
      this.claim(name);
      out = this.define(name, v.dtype, v.shape);
      this.nodes.push({ name: this.fresh('n_Identity'), opType: 'Identity', domain: '', inputs: [v.name], outputs: [name], attrs: {} });
    }
    this.outputs.push(out);
    return out;
  }

  /** Say where the run-time size of a symbolic dimension can be read: axis `axis` of `value`. */
  declareDim(symbol: string, value: Value, axis: number): void {
    this.dimSources.set(symbol, { value, axis });
  }

  /** A run-time size as an int64 tensor of shape [1]. */
  dimSize(symbol: string): Value {
    const key = `dim:${symbol}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const src = this.dimSources.get(symbol);
    if (!src) throw new Error(`graph: no source declared for dimension ${symbol}`);
    const v = this.node1('Shape', [src.value], { dtype: 'int64', shape: [1], hint: `size_${symbol}` }, {
      start: attr.int(src.axis),
      end: attr.int(src.axis + 1),
    });
    this.cache.set(key, v);
    return v;
  }

  /**
   * The int64 shape tensor for `dims`, as Reshape and Expand want it. Declared
   * symbols are read from their source at run time; at most one undeclared
   * symbol (a product such as 'batch*seq') becomes -1.
   */
  shapeOf(dims: readonly Dim[]): Value {
    const key = `shape:${dims.join(',')}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let inferred = 0;
    const pieces: Value[] = [];
    let run: number[] = [];
    for (const d of dims) {
      if (typeof d === 'number' || !this.dimSources.has(d)) {
        if (typeof d !== 'number' && ++inferred > 1) throw new Error(`graph: cannot build shape [${dims}] (two unknown dims)`);
        run.push(typeof d === 'number' ? d : -1);
      } else {
        if (run.length) pieces.push(this.int64s(run));
        run = [];
        pieces.push(this.dimSize(d));
      }
    }
    if (run.length || pieces.length === 0) pieces.push(this.int64s(run));
    const v =
      pieces.length === 1
        ? pieces[0]!
        : this.node1('Concat', pieces, { dtype: 'int64', shape: [dims.length], hint: 'shape' }, { axis: attr.int(0) });
    this.cache.set(key, v);
    return v;
  }

  /** The graph as a ModelProto (plain object), ready for `encodeModel`. */
  toModel(opts: { producer?: string; docString?: string } = {}): ModelProtoJson {
    const declared = new Set(this.dimSources.keys());
    const info = (v: Value): ValueInfoProtoJson => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: TensorDataType[v.dtype],
          shape: {
            dim: v.shape.map((d) =>
              typeof d === 'number' ? { dimValue: d } : declared.has(d) ? { dimParam: d } : ({} as { dimParam: string }),
            ),
          },
        },
      },
    });
    return {
      irVersion: IR_VERSION,
      producerName: opts.producer ?? 'finer-lens',
      producerVersion: '0.1.0',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes.map((n) => ({
          input: n.inputs,
          output: n.outputs,
          name: n.name,
          opType: n.opType,
          ...(n.domain ? { domain: n.domain } : {}),
          attribute: Object.entries(n.attrs).map(([name, a]) => attributeProto(name, a)),
        })),
        initializer: [...this.initializers].map(([name, t]) => tensorProto(name, t)),
        input: this.inputs.map(info),
        output: this.outputs.map(info),
      },
    };
  }

  /** The bytes of a `.onnx` file. */
  serialize(opts: { producer?: string } = {}): Uint8Array {
    return encodeModel(this.toModel(opts));
  }
}

function attributeProto(name: string, a: Attr): AttributeProtoJson {
  switch (a.kind) {
    case 'int':
      return { name, type: 2, i: a.value };
    case 'float':
      return { name, type: 1, f: a.value };
    case 'ints':
      return { name, type: 7, ints: a.value };
    case 'floats':
      return { name, type: 6, floats: a.value };
    case 'string':
      return { name, type: 3, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: 4, t: tensorProto('', a.value) };
  }
}

/** Right-aligned numpy broadcasting of two shapes; a symbol only matches itself or 1. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[], where = 'broadcast'): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new FinerError(`${where}: shapes [${a}] and [${b}] do not broadcast`);
  }
  return out;
}
