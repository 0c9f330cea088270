import { FinerError } from '../util/errors.ts';

/** Hugging Face's DistilBertConfig, field for field as in its config.json. */
export interface DistilBertConfig {
  model_type: 'distilbert';
  architectures?: string[];
  vocab_size: number;
  max_position_embeddings: number;
  sinusoidal_pos_embds: boolean;
  n_layers: number;
  n_heads: number;
  dim: number;
  hidden_dim: number;
  dropout: number;
  attention_dropout: number;
  activation: 'gelu';
  initializer_range: number;
  qa_dropout: number;
  seq_classif_dropout: number;
  pad_token_id: number;
  tie_weights_?: boolean;
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
}

/** HF's defaults: distilbert-base (6 layers, dim 768, 12 heads, hidden 3072, vocab 30522, 512 positions). */
export function defaultConfig(overrides: Partial<DistilBertConfig> = {}): DistilBertConfig {
  return {
    model_type: 'distilbert',
    vocab_size: 30522,
    max_position_embeddings: 512,
    sinusoidal_pos_embds: false,
    n_layers: 6,
    n_heads: 12,
    dim: 768,
    hidden_dim: 3072,
    dropout: 0.1,
    attention_dropout: 0.1,
    activation: 'gelu',
    initializer_range: 0.02,
    qa_dropout: 0.1,
    seq_classif_dropout: 0.2,
    pad_token_id: 0,
    ...overrides,
  };
}

const positiveInts = ['vocab_size', 'max_position_embeddings', 'n_layers', 'n_heads', 'dim', 'hidden_dim'] as const;
const probabilities = ['dropout', 'attention_dropout', 'qa_dropout', 'seq_classif_dropout'] as const;

/**
 * Check a parsed config.json (fields missing from it take HF's defaults, extra
 * fields such as `transformers_version` are ignored). Every problem is a
 * FinerError naming the field and the value expected.
 */
export function validateConfig(raw: unknown, where = 'config'): DistilBertConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FinerError(`${where}: expected a JSON object with DistilBERT config fields`);
  const r = raw as Record<string, unknown>;
  const bad = (field: string, expected: string): FinerError => new FinerError(`${where}: field "${field}": expected ${expected}, got ${JSON.stringify(r[field])}`);
  const c = defaultConfig();

  if (r.model_type !== undefined && r.model_type !== 'distilbert') throw bad('model_type', '"distilbert"');
  for (const f of positiveInts) {
    if (r[f] === undefined) continue;
    const v = r[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw bad(f, 'a positive integer');
    c[f] = v;
  }
  for (const f of probabilities) {
    if (r[f] === undefined) continue;
    const v = r[f];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw bad(f, 'a probability in [0, 1)');
    c[f] = v;
  }
  if (r.initializer_range !== undefined) {
    if (typeof r.initializer_range !== 'number' || !(r.initializer_range > 0)) throw bad('initializer_range', 'a positive number');
    c.initializer_range = r.initializer_range;
  }
  if (r.activation !== undefined && r.activation !== 'gelu') throw bad('activation', '"gelu" (the only activation this engine implements)');
  if (r.sinusoidal_pos_embds !== undefined && r.sinusoidal_pos_embds !== false) throw bad('sinusoidal_pos_embds', 'false (learned position embeddings; sinusoidal ones are not implemented)');
  if (r.pad_token_id !== undefined) {
    const v = r.pad_token_id;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= c.vocab_size) throw bad('pad_token_id', `an integer in 0..${c.vocab_size - 1} (vocab_size ${c.vocab_size})`);
    c.pad_token_id = v;
  }
  if (c.dim % c.n_heads !== 0) throw bad('dim', `a multiple of n_heads (${c.n_heads})`);
  if (r.tie_weights_ !== undefined) {
    if (typeof r.tie_weights_ !== 'boolean') throw bad('tie_weights_', 'true or false');
    c.tie_weights_ = r.tie_weights_;
  }
  if (r.architectures !== undefined) {
    if (!Array.isArray(r.architectures) || !r.architectures.every((a) => typeof a === 'string')) throw bad('architectures', 'an array of strings');
    c.architectures = r.architectures as string[];
  }
  if (r.id2label !== undefined || r.label2id !== undefined) {
    const id2label = r.id2label;
    const label2id = r.label2id;
    if (typeof id2label !== 'object' || id2label === null || Array.isArray(id2label)) throw bad('id2label', 'an object {"0": "O", ...}');
    if (typeof label2id !== 'object' || label2id === null || Array.isArray(label2id)) throw bad('label2id', 'an object {"O": 0, ...}');
    const n = Object.keys(id2label).length;
    for (let i = 0; i < n; i++) {
      const name = (id2label as Record<string, unknown>)[String(i)];
      if (typeof name !== 'string') throw bad('id2label', `ids "0".."${n - 1}" each mapped to a label name (no name for "${i}")`);
      if ((label2id as Record<string, unknown>)[name] !== i) throw new FinerError(`${where}: field "label2id": expected "${name}": ${i}, as in id2label`);
    }
    if (Object.keys(label2id).length !== n) throw new FinerError(`${where}: field "label2id": expected ${n} labels as in id2label, got ${Object.keys(label2id).length}`);
    c.id2label = id2label as Record<string, string>;
    c.label2id = label2id as Record<string, number>;
  }
  return c;
}
