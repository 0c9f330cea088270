// Throwaway ONNX builder for micro-benchmarks (the real builder lives in src/onnx).
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 }, f: { type: 'float', id: 2 }, i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 }, t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 }, ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 }, data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 }, raw_data: { type: 'bytes', id: 9 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 }, output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 }, op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 }, domain: { type: 'string', id: 7 },
          },
        },
        Dim: { fields: { dim_value: { type: 'int64', id: 1 }, dim_param: { type: 'string', id: 2 } } },
        Shape: { fields: { dim: { rule: 'repeated', type: 'Dim', id: 1 } } },
        TensorType: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'Shape', id: 2 } } },
        TypeProto: { fields: { tensor_type: { type: 'TensorType', id: 1 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 }, name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 }, producer_name: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 }, opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
      },
    },
  },
});
const ModelProto = root.lookupType('onnx.ModelProto');

export const FLOAT = 1, INT64 = 7, BOOL = 9;
type Attr = number | number[] | string | { floats: number[] } | { tensor: { dims: number[]; type: number; raw: Uint8Array } };

export class G {
  nodes: object[] = []; inputs: object[] = []; outputs: object[] = []; inits: object[] = [];
  private n = 0;
  input(name: string, type: number, dims: (number | string)[]): string {
    this.inputs.push(vi(name, type, dims)); return name;
  }
  output(name: string, type: number, dims: (number | string)[]): void { this.outputs.push(vi(name, type, dims)); }
  init(name: string, type: number, dims: number[], raw: Uint8Array): string {
    this.inits.push({ name, data_type: type, dims, raw_data: raw }); return name;
  }
  i64(name: string, vals: number[]): string {
    return this.init(name, INT64, [vals.length], new Uint8Array(BigInt64Array.from(vals.map(BigInt)).buffer));
  }
  f32(name: string, vals: number[], dims?: number[]): string {
    return this.init(name, FLOAT, dims ?? [vals.length], new Uint8Array(Float32Array.from(vals).buffer));
  }
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, nOut = 1, domain = '', outNames?: string[]): string[] {
    const outs = outNames ?? Array.from({ length: nOut }, () => `t${this.n++}`);
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'number') return Number.isInteger(v) && !String(v).includes('.') && !name.match(/^(alpha|beta|epsilon|ratio|scale)$/)
        ? { name, i: v, type: 2 } : { name, f: v, type: 1 };
      if (typeof v === 'string') return { name, s: new TextEncoder().encode(v), type: 3 };
      if (Array.isArray(v)) return { name, ints: v, type: 7 };
      if ('floats' in v) return { name, floats: v.floats, type: 6 };
      return { name, t: { dims: v.tensor.dims, data_type: v.tensor.type, raw_data: v.tensor.raw }, type: 4 };
    });
    this.nodes.push({ input: inputs, output: outs, op_type: op, domain, attribute, name: `n${this.n++}` });
    return outs;
  }
  o(op: string, inputs: string[], attrs: Record<string, Attr> = {}, domain = ''): string {
    return this.op(op, inputs, attrs, 1, domain)[0]!;
  }
  bytes(): Uint8Array {
    const msg = ModelProto.create({
      ir_version: 8, producer_name: 'bench',
      opset_import: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }],
      graph: { node: this.nodes, name: 'g', input: this.inputs, output: this.outputs, initializer: this.inits },
    });
    return ModelProto.encode(msg).finish();
  }
}
function vi(name: string, type: number, dims: (number | string)[]): object {
  return {
    name,
    type: { tensor_type: { elem_type: type, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  };
}
