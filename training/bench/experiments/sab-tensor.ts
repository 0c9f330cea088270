// Can onnxruntime-node read a Float32Array backed by a SharedArrayBuffer?
import * as ort from 'onnxruntime-node';
import { G, FLOAT } from './mini-onnx.ts';
const g = new G();
const y = g.o('Mul', [g.input('x', FLOAT, [4]), g.f32('two', [2], [])]); g.output(y, FLOAT, [4]);
const s = await ort.InferenceSession.create(g.bytes());
const x = new Float32Array(new SharedArrayBuffer(16)); x.set([1, 2, 3, 4]);
const r = await s.run({ x: new ort.Tensor('float32', x, [4]) });
console.log(r[y]!.data);
