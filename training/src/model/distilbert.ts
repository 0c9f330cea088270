import { FinerError } from '../util/errors.ts';
import { hashSeed } from '../util/rng.ts';
import { Graph, type Dim, type Value } from '../onnx/graph.ts';
import * as E from '../onnx/emit.ts';
import { prune } from '../onnx/prune.ts';
import { Tape } from '../autodiff/tape.ts';
import { backward } from '../autodiff/backward.ts';
import { add, concat, dropout, gather, gelu, layerNorm, linear, matmul, mul, reshape, softmax, softmaxCrossEntropy, split, transpose } from '../autodiff/ops.ts';
import type { DistilBertConfig } from './config.ts';
import { paramSpecs, type Head } from './params.ts';

/**
 * DistilBERT as an ONNX graph, with Hugging Face's semantics and parameter
 * names (modeling_distilbert.py): learned position embeddings, LayerNorm eps
 * 1e-12, post-LN transformer blocks, an additive attention mask of the dtype's
 * minimum, exact (erf) GELU, dropouts where HF has them.
 *
 * Activations between blocks are 2-D, x: [batch*seq, dim], so that every
 * Linear is one Gemm and its gradients are Gemms with trans flags; only
 * attention goes 4-D.
 */

const LN_EPS = 1e-12;
/** torch.finfo(torch.float32).min: HF's value for masked attention scores. */
export const FLOAT32_MIN = -3.4028234663852886e38;
const BS = 'batch*seq';

/** Everything the model's parts need while the graph is built. */
interface Model {
  t: Tape;
  config: DistilBertConfig;
  p: (name: string) => Value;
  /** Dropout of probability `ratio` at the next site of the model. */
  dropout: (x: Value, ratio: number) => Value;
}

/** Word + position embeddings, LayerNorm, dropout. inputIds: [batch, seq] -> [batch*seq, dim] */
function embeddings(m: Model, inputIds: Value): Value {
  const { t, config } = m;
  const g = t.g;
  const words = gather(t, m.p('distilbert.embeddings.word_embeddings.weight'), inputIds, config.pad_token_id); // [batch, seq, dim]
  // position_ids = arange(seq)
  const seqLen = E.squeeze(g, g.dimSize('seq'), [0]);
  const positionIds = g.node1('Range', [g.scalar(0, 'int64'), seqLen, g.scalar(1, 'int64')], { dtype: 'int64', shape: ['seq'], hint: 'position_ids' });
  const positions = gather(t, m.p('distilbert.embeddings.position_embeddings.weight'), positionIds); // [seq, dim]
  const sum = reshape(t, add(t, words, positions), [BS, config.dim]); // [batch*seq, dim]
  const x = layerNorm(t, sum, m.p('distilbert.embeddings.LayerNorm.weight'), m.p('distilbert.embeddings.LayerNorm.bias'), LN_EPS);
  return m.dropout(x, config.dropout);
}

/** attention_mask [batch, seq] (1 = token, 0 = padding) -> additive bias [batch, 1, 1, seq]: 0 or float32 min */
function attentionBias(g: Graph, attentionMask: Value): Value {
  const keep = E.cast(g, attentionMask, 'float32');
  const bias = E.mul(g, E.sub(g, g.scalar(1), keep), g.scalar(FLOAT32_MIN));
  return E.unsqueeze(g, bias, [1, 2]);
}

/** x: [batch*seq, dim] -> [batch*seq, dim] */
function multiHeadSelfAttention(m: Model, x: Value, bias: Value, prefix: string): Value {
  const { t, config } = m;
  const H = config.n_heads;
  const dh = config.dim / H;
  // q_lin, k_lin and v_lin as one Gemm on the joined weights (one larger GEMM forward, and one for dX backward)
  const w = concat(t, ['q_lin', 'k_lin', 'v_lin'].map((n) => m.p(`${prefix}.${n}.weight`)), 0); // [3*dim, dim]
  const b = concat(t, ['q_lin', 'k_lin', 'v_lin'].map((n) => m.p(`${prefix}.${n}.bias`)), 0); // [3*dim]
  const [qx, kx, vx] = split(t, linear(t, x, w, b), 1, [config.dim, config.dim, config.dim]); // each [batch*seq, dim]
  const heads = (v: Value) => reshape(t, v, ['batch', 'seq', H, dh]); // [batch, seq, heads, dh]
  const q = transpose(t, heads(mul(t, qx!, t.g.scalar(1 / Math.sqrt(dh)))), [0, 2, 1, 3]); // [batch, heads, seq, dh]
  const kT = transpose(t, heads(kx!), [0, 2, 3, 1]); // [batch, heads, dh, seq]
  const v = transpose(t, heads(vx!), [0, 2, 1, 3]); // [batch, heads, seq, dh]
  const scores = add(t, matmul(t, q, kT), bias); // [batch, heads, seq, seq]
  const weights = m.dropout(softmax(t, scores, -1), config.attention_dropout);
  const context = transpose(t, matmul(t, weights, v), [0, 2, 1, 3]); // [batch, seq, heads, dh]
  const merged = reshape(t, context, [BS, config.dim]); // [batch*seq, dim]
  return linear(t, merged, m.p(`${prefix}.out_lin.weight`), m.p(`${prefix}.out_lin.bias`));
}

/** lin1 -> GELU -> lin2 -> dropout. x: [batch*seq, dim] -> [batch*seq, dim] (hidden: [batch*seq, hidden_dim]) */
function ffn(m: Model, x: Value, prefix: string): Value {
  const { t } = m;
  const hidden = gelu(t, linear(t, x, m.p(`${prefix}.lin1.weight`), m.p(`${prefix}.lin1.bias`)));
  const out = linear(t, hidden, m.p(`${prefix}.lin2.weight`), m.p(`${prefix}.lin2.bias`));
  return m.dropout(out, m.config.dropout);
}

/** Post-LN block: x = LN(x + attention(x)); x = LN(x + ffn(x)). */
function transformerBlock(m: Model, x: Value, bias: Value, i: number): Value {
  const { t } = m;
  const l = `distilbert.transformer.layer.${i}`;
  const sa = layerNorm(t, add(t, multiHeadSelfAttention(m, x, bias, `${l}.attention`), x), m.p(`${l}.sa_layer_norm.weight`), m.p(`${l}.sa_layer_norm.bias`), LN_EPS);
  return layerNorm(t, add(t, ffn(m, sa, `${l}.ffn`), sa), m.p(`${l}.output_layer_norm.weight`), m.p(`${l}.output_layer_norm.bias`), LN_EPS);
}

/** DistilBertForTokenClassification's head: dropout, then Linear(dim, numLabels). -> [batch*seq, numLabels] */
function tokenClassifier(m: Model, hidden: Value): Value {
  const { t } = m;
  return linear(t, m.dropout(hidden, m.config.dropout), m.p('classifier.weight'), m.p('classifier.bias'));
}

/** DistilBertForMaskedLM's head: vocab_transform, GELU, vocab_layer_norm, vocab_projector (weight tied to the word embeddings). -> [batch*seq, vocab] */
function mlmHead(m: Model, hidden: Value): Value {
  const { t } = m;
  const x = gelu(t, linear(t, hidden, m.p('vocab_transform.weight'), m.p('vocab_transform.bias')));
  const y = layerNorm(t, x, m.p('vocab_layer_norm.weight'), m.p('vocab_layer_norm.bias'), LN_EPS);
  return linear(t, y, m.p('distilbert.embeddings.word_embeddings.weight'), m.p('vocab_projector.bias'));
}

/**
 * The whole forward pass: ids and mask [batch, seq] -> logits [batch*seq, numLabels or vocab].
 * With `rows` ([masked], flat indices into batch*seq) only those rows of the last hidden
 * states go through the head: -> [masked, numLabels or vocab].
 */
function distilbert(m: Model, head: Head, inputIds: Value, attentionMask: Value, rows?: Value): Value {
  const bias = attentionBias(m.t.g, attentionMask);
  let x = embeddings(m, inputIds);
  for (let i = 0; i < m.config.n_layers; i++) x = transformerBlock(m, x, bias, i);
  if (rows) x = gather(m.t, x, rows); // [masked, dim]
  return head === 'mlm' ? mlmHead(m, x) : tokenClassifier(m, x);
}

/** Graph output names of the training graph. */
export const LOSS = 'loss';
export const gradName = (param: string): string => `grad.${param}`;
/** The masked-LM graph's optional output: logits at the masked positions, [masked, vocab]. */
export const MASKED_LOGITS = 'masked_logits';

/**
 * Where dropout masks come from in the training graph:
 * - 'onnx': ONNX `Dropout` nodes, each with its own seed derived from
 *   `dropoutSeed` (the backward reuses their bool mask output);
 * - 'inputs': one float32 graph input per dropout site, `dropout_mask.<k>`,
 *   holding 0 or 1/(1-ratio) per element, which the caller draws; forward and
 *   backward are then one `Mul` each. (onnxruntime's Dropout RNG is
 *   single-threaded; a caller can draw masks off the critical path.)
 */
export type DropoutSource = 'onnx' | 'inputs';

/** The dropout source of every training graph unless a caller picks the other: masks drawn in JS (what `createTrainingStep` and so training run). */
export const DEFAULT_DROPOUT_SOURCE: DropoutSource = 'inputs';

/** A dropout mask the caller feeds when masks are graph inputs; `shape` uses the symbols 'batch', 'seq', 'batch*seq'. */
export interface DropoutMaskInput {
  name: string;
  shape: readonly Dim[];
  ratio: number;
}

interface Built {
  g: Graph;
  dropoutMasks: DropoutMaskInput[];
  t: Tape;
  params: Map<string, Value>;
  inputIds: Value;
  logits: Value; // [batch*seq, classes], or [masked, classes] when built with masked rows
}

function build(
  config: DistilBertConfig,
  head: Head,
  numLabels: number,
  training: boolean,
  dropoutSeed: number,
  weights?: ReadonlyMap<string, Float32Array>,
  dropoutSource: DropoutSource = DEFAULT_DROPOUT_SOURCE,
  maskedRows = false,
): Built {
  const g = new Graph(head === 'mlm' ? 'DistilBertForMaskedLM' : 'DistilBertForTokenClassification');
  const t = new Tape(g, training);
  const params = new Map<string, Value>();
  for (const spec of paramSpecs(config, head, numLabels)) {
    const w = weights?.get(spec.name);
    if (weights && !w) throw new FinerError(`weights: missing parameter ${spec.name} [${spec.shape}]`);
    if (w && w.length !== spec.shape.reduce((a, b) => a * b, 1)) throw new FinerError(`weights: parameter ${spec.name} has ${w.length} values; expected shape [${spec.shape}]`);
    const v = w ? g.initializer(spec.name, { dtype: 'float32', dims: spec.shape, data: w }) : g.input(spec.name, 'float32', spec.shape);
    params.set(spec.name, training ? t.requireGrad(v) : v);
  }
  const inputIds = g.input('input_ids', 'int64', ['batch', 'seq']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch', 'seq']);
  g.declareDim('batch', inputIds, 0);
  g.declareDim('seq', inputIds, 1);
  const maskedPositions = maskedRows ? g.input('masked_positions', 'int64', ['masked']) : undefined;
  if (maskedPositions) g.declareDim('masked', maskedPositions, 0);
  let sites = 0;
  const dropoutMasks: DropoutMaskInput[] = [];
  const m: Model = {
    t,
    config,
    p: (name) => {
      const v = params.get(name);
      if (!v) throw new Error(`distilbert: no parameter ${name}`);
      return v;
    },
    dropout: (x, ratio) => {
      if (!training || ratio === 0) return x;
      const site = sites++;
      if (dropoutSource === 'onnx') return dropout(t, x, ratio, hashSeed(dropoutSeed, site) & 0x7fffffff); // one seed per node, or layers would share masks
      const mask = g.input(`dropout_mask.${site}`, x.dtype, x.shape);
      dropoutMasks.push({ name: mask.name, shape: x.shape, ratio });
      return mul(t, x, mask);
    },
  };
  const logits = distilbert(m, head, inputIds, attentionMask, maskedPositions);
  return { g, dropoutMasks, t, params, inputIds, logits };
}

/**
 * The training graph. Inputs: every parameter (HF names), `input_ids`,
 * `attention_mask`, `labels` (all int64 [batch, seq]; labels -100 = ignore),
 * and with the default dropout source one `dropout_mask.<k>` per dropout site.
 * Outputs: `loss` (mean cross-entropy over the labelled tokens) and
 * `grad.<param>` for every parameter. It is the graph `createTrainingStep`
 * runs; `buildTrainingGraph` also lists the masks to feed.
 */
export function trainingGraph(config: DistilBertConfig, head: Head, numLabels: number, dropoutSeed: number): Graph {
  return buildTrainingGraph(config, head, numLabels, { dropoutSeed }).graph;
}

/**
 * The training graph, with the choice of dropout source (default
 * `DEFAULT_DROPOUT_SOURCE`); also lists the mask inputs to feed (none with
 * 'onnx', whose Dropout nodes are seeded from `dropoutSeed`, so one session
 * replays the same masks).
 */
export function buildTrainingGraph(
  config: DistilBertConfig,
  head: Head,
  numLabels: number,
  opts: { dropoutSeed: number; dropoutSource?: DropoutSource },
): { graph: Graph; dropoutMasks: DropoutMaskInput[] } {
  const { g, t, params, logits, dropoutMasks } = build(config, head, numLabels, true, opts.dropoutSeed, undefined, opts.dropoutSource);
  const labels = g.input('labels', 'int64', ['batch', 'seq']);
  const loss = softmaxCrossEntropy(t, logits, E.reshape(g, labels, [BS]), -100);
  outputLossAndGradients(g, t, params, loss);
  return { graph: g, dropoutMasks };
}

/** Differentiate `loss` and make it and every parameter's gradient the graph's outputs. */
function outputLossAndGradients(g: Graph, t: Tape, params: Map<string, Value>, loss: Value): void {
  const grads = backward(t, loss, [...params.values()]);
  g.output(loss, LOSS);
  for (const [name, v] of params) g.output(grads.get(v.name)!, gradName(name));
  prune(g);
}

/**
 * The masked-LM pretraining graph: DistilBertForMaskedLM whose vocabulary
 * projection runs only at the masked positions (about 15% of them), the
 * hidden states being gathered before the head. Inputs: every parameter of
 * the 'mlm' head (HF names), `input_ids` and `attention_mask` (int64
 * [batch, seq]), `masked_positions` (int64 [masked], flat indices into
 * batch*seq), `masked_labels` (int64 [masked], the original token ids) and
 * the dropout masks. Outputs: `loss` (mean cross-entropy over the masked
 * positions) and `grad.<param>`; with `withLogits` also `masked_logits`
 * [masked, vocab].
 */
export function buildMaskedLmGraph(
  config: DistilBertConfig,
  opts: { dropoutSeed: number; dropoutSource?: DropoutSource; withLogits?: boolean },
): { graph: Graph; dropoutMasks: DropoutMaskInput[] } {
  const { g, t, params, logits, dropoutMasks } = build(config, 'mlm', 0, true, opts.dropoutSeed, undefined, opts.dropoutSource, true);
  const labels = g.input('masked_labels', 'int64', ['masked']);
  const loss = softmaxCrossEntropy(t, logits, labels, -100); // logits: [masked, vocab]
  // an ELECTRA generator samples its replacements from this forward's logits: one more output, the same loss and gradients
  if (opts.withLogits) g.output(logits, MASKED_LOGITS);
  outputLossAndGradients(g, t, params, loss);
  return { graph: g, dropoutMasks };
}

/**
 * The forward graph for evaluation and export: no dropout, no saved
 * statistics. Inputs `input_ids`, `attention_mask` [batch, seq]; output
 * `logits` [batch, seq, classes]. Parameters are graph inputs, or initialisers
 * (raw_data) when `weights` are given, which is the exported model.
 */
export function inferenceGraph(config: DistilBertConfig, head: Head, numLabels: number, weights?: ReadonlyMap<string, Float32Array>): Graph {
  const { g, logits } = build(config, head, numLabels, false, 0, weights);
  const classes = logits.shape[1]!;
  g.output(E.reshape(g, logits, ['batch', 'seq', classes]), 'logits');
  prune(g);
  return g;
}
