// Which com.microsoft kernels exist in this onnxruntime-node CPU build? (try to create a one-node session)
import * as ort from 'onnxruntime-node';
import { G, FLOAT } from './mini-onnx.ts';

const cases: [string, number, number][] = [
  // op, number of float inputs, number of outputs
  ['Gelu', 1, 1], ['FastGelu', 1, 1], ['BiasGelu', 2, 1], ['GeluGrad', 2, 1], ['FastGeluGrad', 2, 1],
  ['BiasGeluGrad_dX', 3, 1], ['BiasFastGeluGrad_dX', 3, 1], ['SoftmaxGrad_13', 2, 1], ['SoftmaxGrad', 2, 1],
  ['LayerNormalizationGrad', 5, 3], ['SimplifiedLayerNormalizationGrad', 4, 2], ['InvertibleLayerNormalizationGrad', 5, 3],
  ['FusedMatMul', 2, 1], ['SkipLayerNormalization', 4, 1], ['DropoutGrad', 3, 1], ['BiasDropout', 2, 2],
  ['BitmaskDropout', 1, 2], ['ReduceSumTraining', 1, 1], ['SoftmaxCrossEntropyLossInternal', 2, 2],
  ['SoftmaxCrossEntropyLossGrad', 3, 1], ['BiasSoftmax', 2, 1], ['GatherGrad', 3, 1], ['InPlaceAccumulator', 2, 1],
  ['AdamWOptimizer', 6, 3], ['Attention', 3, 1], ['MultiHeadAttention', 3, 1],
];
for (const [op, nin, nout] of cases) {
  const g = new G();
  const ins = Array.from({ length: nin }, (_, i) => g.input(`x${i}`, FLOAT, [4, 4]));
  const outs = g.op(op, ins, {}, nout, 'com.microsoft');
  outs.forEach((o) => g.output(o, FLOAT, []));
  try {
    await ort.InferenceSession.create(g.bytes(), { graphOptimizationLevel: 'disabled' });
    console.log(`${op}: session ok`);
  } catch (e) {
    const m = String((e as Error).message);
    console.log(`${op}: ${m.includes('Could not find an implementation') || m.includes('not a registered') || m.includes('No Op registered') ? 'MISSING' : 'other error: ' + m.slice(0, 160)}`);
  }
}
