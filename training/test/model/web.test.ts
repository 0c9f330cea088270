import { expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { defaultConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { inferenceGraph } from '../../src/model/distilbert.ts';

it("the exported forward graph runs in onnxruntime-web's WASM backend with the same logits as onnxruntime-node", async () => {
  const config = defaultConfig({ vocab_size: 13, max_position_embeddings: 8, n_layers: 2, n_heads: 2, dim: 8, hidden_dim: 12, initializer_range: 0.5 });
  for (const [head, classes] of [['token-classification', 3], ['mlm', 13]] as const) {
    const params = initParams(paramSpecs(config, head, classes), config, 3);
    const bytes = inferenceGraph(config, head, classes, params).serialize();
    const ids = BigInt64Array.from([1n, 5n, 7n, 2n, 1n, 9n, 0n, 0n]);
    const mask = BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n]);

    ortWeb.env.wasm.numThreads = 1;
    const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const w = await web.run({ input_ids: new ortWeb.Tensor('int64', ids, [2, 4]), attention_mask: new ortWeb.Tensor('int64', mask, [2, 4]) });
    const node = await ortNode.InferenceSession.create(bytes);
    const n = await node.run({ input_ids: new ortNode.Tensor('int64', ids, [2, 4]), attention_mask: new ortNode.Tensor('int64', mask, [2, 4]) });
    expect(w.logits!.dims).toEqual([2, 4, classes]);
    const a = w.logits!.data as Float32Array;
    const b = n.logits!.data as Float32Array;
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
    await web.release();
    await node.release();
  }
});
