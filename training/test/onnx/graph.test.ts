import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Graph, OPSET, attr, broadcastShapes, tensor } from '../../src/onnx/graph.ts';
import { decodeModel } from '../../src/onnx/proto.ts';
import { prune } from '../../src/onnx/prune.ts';
import * as E from '../../src/onnx/emit.ts';
import { FinerError } from '../../src/util/errors.ts';

describe('serialiser', () => {
  it('round-trips a ModelProto through protobuf bytes', () => {
    const g = new Graph('rt');
    const x = g.input('x', 'float32', ['batch', 4]);
    g.declareDim('batch', x, 0);
    const w = g.initializer('w', tensor('float32', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]));
    const y = g.node1('MatMul', [x, w], { dtype: 'float32', shape: ['batch', 2] });
    g.node1('Softmax', [y], { dtype: 'float32', shape: ['batch', 2] }, { axis: attr.int(-1) });
    g.output(y, 'y');
    const m = decodeModel(g.serialize());
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: OPSET }]);
    expect(m.graph.input[0]!.name).toBe('x');
    expect(m.graph.input[0]!.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 4 }]);
    const init = m.graph.initializer[0]!;
    expect(init.name).toBe('w');
    expect(init.dims).toEqual([4, 2]);
    expect(Array.from(new Float32Array(new Uint8Array(init.rawData).buffer))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const softmax = m.graph.node.find((n) => n.opType === 'Softmax')!;
    expect(softmax.attribute[0]).toMatchObject({ name: 'axis', type: 2, i: -1 });
  });

  it('writes graphs onnxruntime runs, with run-time dims and initialisers', async () => {
    const g = new Graph('run');
    const x = g.input('x', 'float32', ['batch', 'seq', 3]);
    g.declareDim('batch', x, 0);
    g.declareDim('seq', x, 1);
    const bias = g.initializer('bias', tensor('float32', [3], [10, 20, 30]));
    const y = E.add(g, x, bias); // [batch, seq, 3]
    const flat = E.reshape(g, y, ['batch*seq', 3]);
    const back = E.reshape(g, flat, ['seq', 'batch', 3]); // reads both symbols at run time
    const sum = E.reduceSum(g, back, [0], false);
    g.output(flat, 'flat');
    g.output(sum, 'sum');
    const s = await ort.InferenceSession.create(g.serialize());
    const data = Float32Array.from({ length: 12 }, (_, i) => i);
    const out = await s.run({ x: new ort.Tensor('float32', data, [2, 2, 3]) });
    expect(out.flat!.dims).toEqual([4, 3]);
    expect(Array.from(out.flat!.data as Float32Array)).toEqual(Array.from(data, (v, i) => v + [10, 20, 30][i % 3]!));
    expect(out.sum!.dims).toEqual([2, 3]);
    await s.release();
  });

  it('keeps float attributes apart from ints', async () => {
    const g = new Graph('ln');
    const x = g.input('x', 'float32', [1, 4]);
    const one = g.constant(tensor('float32', [4], [1, 1, 1, 1]));
    const zero = g.constant(tensor('float32', [4], [0, 0, 0, 0]));
    const y = g.node1('LayerNormalization', [x, one, zero], { dtype: 'float32', shape: [1, 4] }, { axis: attr.int(-1), epsilon: attr.float(0.5) });
    g.output(y, 'y');
    const s = await ort.InferenceSession.create(g.serialize());
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]) });
    // variance 1.25; with epsilon 0.5 the first value is -1.5 / sqrt(1.75)
    expect((out.y!.data as Float32Array)[0]).toBeCloseTo(-1.5 / Math.sqrt(1.75), 5);
  });
});

describe('shapes', () => {
  it('broadcasts like numpy and names the shapes that do not', () => {
    expect(broadcastShapes(['b', 1, 4], [3, 1])).toEqual(['b', 3, 4]);
    expect(() => broadcastShapes(['b', 4], ['s', 4], 'Add')).toThrow(FinerError);
    expect(() => broadcastShapes([2, 4], [3], 'Add')).toThrow(/Add: shapes \[2,4\] and \[3\]/);
  });

  it('rejects a matmul whose inner dims differ', () => {
    const g = new Graph();
    expect(() => E.matmul(g, g.input('a', 'float32', [2, 3]), g.input('b', 'float32', [4, 2]))).toThrow(/inner dimensions/);
  });
});

describe('prune', () => {
  it('drops nodes and initialisers no output needs', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2]);
    const dead = E.mul(g, x, g.constant(tensor('float32', [2], [3, 4]), 'unused'));
    E.unary(g, 'Exp', dead);
    const y = E.unary(g, 'Neg', x);
    g.output(y, 'y');
    const { nodesRemoved } = prune(g);
    expect(nodesRemoved).toBe(2);
    expect(g.nodes.map((n) => n.opType)).toEqual(['Neg', 'Identity']);
    expect([...g.initializers.keys()]).toEqual([]);
  });
});
