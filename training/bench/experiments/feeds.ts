// Cost of feeding ~7.4M parameters as inputs and fetching ~7.4M gradients as outputs per run.
import * as ort from 'onnxruntime-node';
import { G, FLOAT } from './mini-onnx.ts';
import { timeGraph } from './harness.ts';

const P = 100, SIZE = 73_728; // 100 tensors x 73,728 floats = 7.37M floats (29.5 MB)
// (a) inputs used only by a tiny Slice: measures the feed cost
{
  const g = new G();
  const st = g.i64('st', [0]), en = g.i64('en', [1]);
  const parts = Array.from({ length: P }, (_, i) => g.o('Slice', [g.input(`p${i}`, FLOAT, [SIZE]), st, en]));
  const y = g.o('Concat', parts, { axis: 0 }); g.output(y, FLOAT, [P]);
  const feeds = Object.fromEntries(Array.from({ length: P }, (_, i) => [`p${i}`, new ort.Tensor('float32', new Float32Array(SIZE), [SIZE])]));
  console.log(`feed ${P} inputs (${(P * SIZE / 1e6).toFixed(2)}M floats), trivial compute: ${(await timeGraph(g, feeds, {}, 20)).toFixed(2)} ms`);
  const g0 = new G();
  const x = g0.input('x', FLOAT, [SIZE]);
  g0.output(g0.o('Slice', [x, g0.i64('st', [0]), g0.i64('en', [1])]), FLOAT, [1]);
  console.log(`feed 1 input baseline: ${(await timeGraph(g0, { x: feeds['p0']! }, {}, 20)).toFixed(3)} ms`);
}
// (b) outputs: y_i = x_i * 2 for 100 tensors; fetch normally vs into preallocated tensors
{
  const g = new G();
  const two = g.f32('two', [2], []);
  const outs: string[] = [];
  for (let i = 0; i < P; i++) { const y = g.o('Mul', [g.input(`p${i}`, FLOAT, [SIZE]), two]); g.output(y, FLOAT, [SIZE]); outs.push(y); }
  const feeds = Object.fromEntries(Array.from({ length: P }, (_, i) => [`p${i}`, new ort.Tensor('float32', new Float32Array(SIZE).fill(1), [SIZE])]));
  for (const threads of [1, 2]) {
    console.log(`threads=${threads} Mul x100, fetch new outputs: ${(await timeGraph(g, feeds, { intraOpNumThreads: threads }, 20)).toFixed(2)} ms`);
    const pre = Object.fromEntries(outs.map((o) => [o, new ort.Tensor('float32', new Float32Array(SIZE), [SIZE])]));
    console.log(`threads=${threads} Mul x100, preallocated fetches: ${(await timeGraph(g, feeds, { intraOpNumThreads: threads }, 20, pre)).toFixed(2)} ms`);
    // check that preallocated outputs are really written in place
    const s = await ort.InferenceSession.create(g.bytes(), { intraOpNumThreads: threads });
    const r = await s.run(feeds, pre);
    console.log(`  in place: ${(pre[outs[0]!]!.data as Float32Array)[7] === 2 && r[outs[0]!]!.data === pre[outs[0]!]!.data}`);
  }
}
