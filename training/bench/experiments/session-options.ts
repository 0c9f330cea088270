// Same training graph, several session-option sets, runs interleaved so that load from others hits all alike.
import * as ort from 'onnxruntime-node';
import { defaultConfig } from '../../src/model/config.ts';
import { paramSpecs, initParams } from '../../src/model/params.ts';
import { trainingGraph } from '../../src/model/distilbert.ts';

const cfg = defaultConfig({ n_layers: 4, dim: 256, n_heads: 4, hidden_dim: 1024, vocab_size: 16000 });
const specs = paramSpecs(cfg, 'token-classification', 5);
const params = initParams(specs, cfg, 1);
const bytes = trainingGraph(cfg, 'token-classification', 5, 123).serialize();
const B = 16, S = 128;
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor('int64', new BigInt64Array(B * S).map(() => BigInt(Math.floor(Math.random() * 16000))), [B, S]),
  attention_mask: new ort.Tensor('int64', new BigInt64Array(B * S).fill(1n), [B, S]),
  labels: new ort.Tensor('int64', new BigInt64Array(B * S).map((_, i) => (i % S === 0 ? -100n : BigInt(i % 5))), [B, S]),
};
for (const sp of specs) feeds[sp.name] = new ort.Tensor('float32', params.get(sp.name)!, sp.shape);
const base: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
const variants: Record<string, ort.InferenceSession.SessionOptions> = {
  'default(all,2thr,spin)': base,
  'no spinning': { ...base, extra: { session: { intra_op: { allow_spinning: '0' } } } },
  '1 thread': { ...base, intraOpNumThreads: 1 },
  'opt basic': { ...base, graphOptimizationLevel: 'basic' },
  'opt extended': { ...base, graphOptimizationLevel: 'extended' },
  'no mem pattern/arena': { ...base, enableMemPattern: false, enableCpuMemArena: false },
  'parallel exec 2x1': { ...base, executionMode: 'parallel', interOpNumThreads: 2, intraOpNumThreads: 1 },
  'denormals as zero': { ...base, extra: { session: { set_denormal_as_zero: '1' } } },
  'affinity 1;2': { ...base, extra: { session: { intra_op_thread_affinities: '2' } } },
};
const only = process.argv.slice(2);
const names = Object.keys(variants).filter((n) => !only.length || only.some((o) => n.includes(o)));
const sessions = new Map<string, ort.InferenceSession>();
for (const n of names) sessions.set(n, await ort.InferenceSession.create(bytes, variants[n]!));
const times = new Map<string, number[]>(names.map((n) => [n, []]));
for (let round = 0; round < 6; round++) {
  for (const n of names) {
    const s = sessions.get(n)!;
    const t = performance.now();
    await s.run(feeds);
    if (round > 0) times.get(n)!.push(performance.now() - t);
  }
}
for (const n of names) {
  const ts = times.get(n)!.sort((a, b) => a - b);
  console.log(`${n.padEnd(26)} median ${ts[ts.length >> 1]!.toFixed(1)} ms  min ${ts[0]!.toFixed(1)} ms`);
}
