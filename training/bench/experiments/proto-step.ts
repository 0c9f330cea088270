// Prototype: time the model engineer's training graph as it stands (forward+backward only).
import * as ort from 'onnxruntime-node';
import { defaultConfig } from '../../src/model/config.ts';
import { paramSpecs, initParams } from '../../src/model/params.ts';
import { trainingGraph } from '../../src/model/distilbert.ts';

const threads = Number(process.env.T ?? 2);
const cfg = defaultConfig({ n_layers: 4, dim: 256, n_heads: 4, hidden_dim: 1024, vocab_size: 16000 });
const specs = paramSpecs(cfg, 'token-classification', 5);
const params = initParams(specs, cfg, 1);
const t0 = performance.now();
const g = trainingGraph(cfg, 'token-classification', 5, 123);
const bytes = g.serialize();
console.log(`graph: ${g.nodes.length} nodes, ${(bytes.length / 1e6).toFixed(2)} MB, built in ${(performance.now() - t0).toFixed(0)} ms`);
const opts: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: (process.env.OPT as 'all') ?? 'all',
  enableProfiling: !!process.env.PROF, profileFilePrefix: '/tmp/ortprof',
  extra: { session: { intra_op: { allow_spinning: process.env.SPIN ?? '1' } } },
};
const s = await ort.InferenceSession.create(bytes, opts);
const B = 16, S = 128;
const ids = new BigInt64Array(B * S).map(() => BigInt(Math.floor(Math.random() * 16000)));
const mask = new BigInt64Array(B * S).fill(1n);
const labels = new BigInt64Array(B * S).map((_, i) => (i % S === 0 ? -100n : BigInt(Math.floor(Math.random() * 5))));
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor('int64', ids, [B, S]), attention_mask: new ort.Tensor('int64', mask, [B, S]), labels: new ort.Tensor('int64', labels, [B, S]),
};
for (const sp of specs) feeds[sp.name] = new ort.Tensor('float32', params.get(sp.name)!, sp.shape);
const ts: number[] = [];
for (let i = 0; i < 8; i++) {
  const t = performance.now();
  const r = await s.run(feeds);
  ts.push(performance.now() - t);
  if (i === 0) console.log('loss', (r['loss']!.data as Float32Array)[0]);
}
if (process.env.PROF) console.log('profile', s.endProfiling());
ts.sort((a, b) => a - b);
console.log(`threads=${threads} fwd+bwd median ${ts[4]!.toFixed(1)} ms, min ${ts[0]!.toFixed(1)} => ${(2048 / ts[4]! * 1000).toFixed(0)} tokens/s (without optimizer)`);
