import * as ort from 'onnxruntime-node';
import { G, FLOAT } from './mini-onnx.ts';
const g = new G();
const y = g.o('Mul', [g.input('x', FLOAT, [4]), g.f32('two', [2], [])]); g.output(y, FLOAT, [4]);
const s = await ort.InferenceSession.create(g.bytes());
const out = new ort.Tensor('float32', new Float32Array(4), [4]);
const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [4]) }, { [y]: out });
console.log('prealloc buffer now', out.data, 'returned same tensor', r[y] === out, 'same data', r[y]!.data === out.data);
