/**
 * The model card (README.md of the exported folder): what the model is, what
 * it learned from, how well it does (from eval.json when there is one), its
 * limits, and how to load it in transformers.js and Python.
 */
import type { DistilBertConfig } from '../model/config.ts';
import type { TrainerState } from '../train/checkpoint.ts';
import type { EvalReport } from '@finer-lens/core/reports/eval.ts';
import type { AdaptRecord } from '../adapt/record.ts';
import type { ThresholdsReport } from '@finer-lens/core/ner/thresholds.ts';
import type { VerifierReport } from '@finer-lens/core/ner/verifier.ts';
import { DEFINITION_RULE_TEXT } from '@finer-lens/core/ner/definitions.ts';
import { defaultStride } from '@finer-lens/core/text/windows.ts';

export interface CardFacts {
  name: string;
  config: DistilBertConfig;
  labels: string[];
  state?: TrainerState;
  /** Bytes of model.safetensors (F16), onnx/model.onnx and onnx/model_quantized.onnx. */
  sizes: { weights: number; fp32: number; int8: number };
  /** eval.json of this model, for the metrics table. */
  evaluation?: EvalReport;
  /** One paragraph on the training data. */
  data?: string;
  /** One paragraph on where the weights come from (pretraining, stages); default: from scratch. */
  origin?: string;
  /** adapt.json of a `finer adapt` run: the model it started from and the company's filings it learned. */
  adapt?: Pick<AdaptRecord, 'model' | 'filings' | 'sentences' | 'replay'> & { options: Pick<AdaptRecord['options'], 'negatives'> };
  /** thresholds.json of the run (`finer thresholds`): a score threshold per type, applied by finer predict and the app. */
  thresholds?: Pick<ThresholdsReport, 'thresholds' | 'fittedOn' | 'backend' | 'before' | 'after' | 'crossValidated' | 'guard'>;
  /** verifier.json of the run (`finer verifier`): the context check, applied after the thresholds by finer predict and the app. */
  verifier?: Pick<VerifierReport, 'cut' | 'confident' | 'rules' | 'trainedOn' | 'fittedOn' | 'before' | 'after' | 'crossValidated' | 'guard'>;
}

const pct = (x: number) => (100 * x).toFixed(1);
const mb = (n: number) => (n / 1e6).toFixed(1);

function metricsSection(e: EvalReport | undefined): string {
  if (!e) return 'No evaluation report was given to `finer export --eval`; run `finer evaluate` on the folder.\n';
  const lines = [`Evaluated ${e.date.slice(0, 10)} (${e.backend}); window ${e.window.maxLength} sub-tokens, stride ${e.window.stride}.`, ''];
  for (const d of e.datasets) {
    lines.push(`**${d.name}** (${d.kind === 'dense' ? `seqeval entity scores, ${d.sentences} sentences` : `labelled tokens only, ${d.sentences} sentences`}; source \`${d.source}\`)`, '');
    lines.push('| type | precision | recall | F1 | support |', '|---|---|---|---|---|');
    for (const [t, s] of Object.entries(d.metrics.perType)) lines.push(`| ${t} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f1)} | ${s.support} |`);
    lines.push(`| **micro** | ${pct(d.metrics.micro.precision)} | ${pct(d.metrics.micro.recall)} | **${pct(d.metrics.micro.f1)}** | ${d.metrics.micro.support} |`);
    lines.push(`| macro | ${pct(d.metrics.macro.precision)} | ${pct(d.metrics.macro.recall)} | ${pct(d.metrics.macro.f1)} | |`, '');
  }
  const w = e.wholeDocument;
  if (w) {
    lines.push(
      `**Whole documents** (every prose sentence with a digit of the ${w.filings} ${w.split} filings of \`${w.source}\`, as a user pastes them): entity micro F1 ${pct(w.tagged.micro.f1)} on the ${w.sentences.tagged} sentences the filers tagged; in the ${w.sentences.untagged} untagged ones, per filing, ${w.perFiling.repeats.toFixed(2)} entities that repeat the value of a target fact of the filing, ${w.perFiling.others.toFixed(2)} others, of which ${w.perFiling.othersNoDebt.toFixed(2)} in sentences without debt words (the clearest false alarms).`,
      '',
    );
  }
  return lines.join('\n') + '\n';
}

/** The origin of a `finer adapt` model: the model it started from and the filings it learned. */
function adaptedOrigin(a: NonNullable<CardFacts['adapt']>): string {
  return `Adapted by \`finer adapt\` ([finer-lens](../../../README.md)) from the model \`${a.model}\` to ${a.filings.length} earlier filing(s) of one company (${a.filings.map((f) => `\`${f}\``).join(', ')}): that model, fine-tuned a little further on the filer's own tags, for the company's next filings. Use it for that company's filings: it learned the company's conventions, which other filers do not share, so on other companies it can do worse than the model it started from.`;
}

function adaptedData(a: NonNullable<CardFacts['adapt']>): string {
  return `The filer's own us-gaap tags in those filings (\`finer ixbrl\` + \`finer subset --negatives ${a.options.negatives}\`): ${a.sentences.targets} sentences with one of the four types and ${a.sentences.negatives} negatives (sentences with only other FiNER-139 tags)${a.replay !== undefined && a.sentences.replayed > 0 ? `, mixed with ${a.sentences.replayed} sentences of \`${a.replay}\` (other filers)` : ''}; no validation split.`;
}

export function modelCard(f: CardFacts): string {
  const c = f.config;
  const o = f.state?.options;
  const training = f.state && o
    ? `${f.state.step} optimizer steps (${f.state.epoch.toFixed(1)} epochs${f.state.stopped ? ', stopped early' : ''}) of batch ${o.batchSize} windows of at most ${o.maxLength} sub-tokens (stride ${o.stride ?? defaultStride(o.maxLength)}), AdamW lr ${o.lr} with ${o.warmupSteps} warm-up steps and linear decay, weight decay ${o.weightDecay}, clip ${o.clip}, seed ${o.seed}; ${f.state.tokensSeen.toLocaleString('en-US')} sub-tokens seen. ${
        f.state.best
          ? `The shipped weights are those of the best validation entity F1 (${f.state.best.metric} ${f.state.best.value.toFixed(4)} at step ${f.state.best.step}).`
          : 'The shipped weights are those of the last step (no validation split).'
      }`
    : 'Training state not found next to the weights.';
  const th = f.thresholds;
  const thresholds = th
    ? `\n\nScore thresholds per type (\`thresholds.json\`, fitted by \`finer thresholds\` on \`${th.fittedOn}\` with the ${th.backend} logits; entity micro F1 there ${pct(th.before.micro.f1)} -> ${pct(th.after.micro.f1)}${th.crossValidated ? `, ${pct(th.crossValidated.micro.f1)} with each filing scored by thresholds fitted on the others` : ''}${th.guard ? `; each type may lose at most ${pct(th.guard.maxLoss)} points of F1 on \`${th.guard.source}\`` : ''}): an entity whose score is below its type's threshold is dropped (${Object.entries(th.thresholds).map(([t, v]) => `${t} ${v}`).join(', ')}). \`finer predict\`, \`finer evaluate\` and the finer-lens app apply them; a plain transformers.js or \`transformers\` pipeline does not, so filter its entities by these scores yourself.`
    : '';
  const v = f.verifier;
  const verifier = v
    ? `\n\nContext check (\`verifier.json\`, learned by \`finer verifier\` from the model's ${v.trainedOn.backend} predictions on ${v.trainedOn.sentences.toLocaleString('en-US')} sentences with a digit of ${v.trainedOn.filings} ${v.trainedOn.split} filings of \`${v.trainedOn.source}\`; cut fitted on \`${v.fittedOn}\` after the thresholds, entity micro F1 there ${pct(v.before.micro.f1)} -> ${pct(v.after.micro.f1)}${v.crossValidated ? `, ${pct(v.crossValidated.micro.f1)} with each filing scored by the cut fitted on the others` : ''}${v.guard ? `, at most ${pct(v.guard.maxLoss)} points lost on \`${v.guard.source}\`` : ''}): a logistic regression over the words around each entity drops an entity whose probability is below ${v.cut}, unless its score is at least ${v.confident} in a sentence with debt words. It removes the numbers of a whole 10-K that are not debt terms (margins, page numbers, addresses).${v.rules?.length ? ` Whatever their probability, it also drops what the types' definitions rule out: ${v.rules.map((r) => DEFINITION_RULE_TEXT[r]).join('; ')}.` : ''} \`finer predict\`, \`finer evaluate\` and the finer-lens app apply it; a plain pipeline does not.`
    : '';
  return `---
library_name: transformers.js
pipeline_tag: token-classification
language: en
tags: [finance, sec-filings, xbrl, finer-139, ner, distilbert]
---

# ${f.name}

A DistilBERT token classifier (${c.n_layers} layers, dim ${c.dim}, ${c.n_heads} heads, FFN ${c.hidden_dim}, cased WordPiece vocabulary of ${c.vocab_size.toLocaleString('en-US')}) that tags four FiNER-139 entity types in SEC 10-K/10-Q prose:

${f.labels.filter((l) => l !== 'O').map((l) => `- \`${l}\``).join('\n')}

${f.origin ?? (f.adapt ? adaptedOrigin(f.adapt) : undefined) ?? 'Trained from scratch in Node by [finer-lens](../../../README.md) (`npm run train:default`): our own autodiff emits ONNX training graphs that onnxruntime-node runs. No Python, no pretrained weights.'}

## Data

${f.data ?? (f.adapt ? adaptedData(f.adapt) : undefined) ?? 'The 4-entity dataset built by `finer ixbrl` + `finer subset` from inline-XBRL filings, split by company.'}

## Training

${training}${thresholds}${verifier}

## Metrics

${metricsSection(f.evaluation)}
## Files

- \`model.safetensors\` + \`config.json\`: the weights in F16 (\`torch_dtype\`), ${mb(f.sizes.weights)} MB, for \`transformers\` (PyTorch) or further training.
- \`onnx/model.onnx\`: fp32, ${mb(f.sizes.fp32)} MB: the F16 weights widened to F32; inputs \`input_ids\`, \`attention_mask\` (int64, [batch, sequence]), output \`logits\` ([batch, sequence, ${f.labels.length}]); dynamic batch and sequence axes; standard opset-17 operators. The finer-lens repository does not keep this file: \`finer derive\` writes it from \`model.safetensors\` (the app's build does).
- \`onnx/model_quantized.onnx\`: ${mb(f.sizes.int8)} MB, quantised from the trained F32 weights; dynamically quantised matrix multiplies (8-bit weights, DynamicQuantizeLinear + MatMulInteger) and int8 embedding tables; only operators that onnxruntime-web's WASM backend runs.
- \`tokenizer.json\` (+ \`vocab.txt\`): BertNormalizer (cased; then every digit to 0 when the vocabulary was learned with number shapes), BertPreTokenizer, WordPiece, \`[CLS] … [SEP]\`.

## Use

transformers.js (browser or Node), from a local copy of this folder:

\`\`\`js
import { pipeline, env } from '@huggingface/transformers';
env.allowRemoteModels = false;
env.localModelPath = '/models/';
const tagger = await pipeline('token-classification', '${f.name}', { dtype: 'q8' }); // or 'fp32'
const out = await tagger('The notes bear interest at 5.25% per annum.');
\`\`\`

The pipeline returns sub-tokens without word grouping: take each word's label from its first sub-token (finer-lens does this in \`core/src/ner/tagger.ts\`).

Python:

\`\`\`python
from transformers import AutoTokenizer, AutoModelForTokenClassification
tok = AutoTokenizer.from_pretrained("${f.name}")
model = AutoModelForTokenClassification.from_pretrained("${f.name}")
\`\`\`

## Limits

- Trained on the filers' own inline-XBRL tags of a few hundred companies' 10-K/10-Q prose; sentences from tables are not in the data, and filers tag inconsistently, so some "misses" in the data are real entities.
- Windows of ${o?.maxLength ?? 128} sub-tokens: longer sentences are cut into overlapping windows and each word takes the label of the window where it is most central; position embeddings beyond ${o?.maxLength ?? 128} were never trained.
- English, cased; numbers are split by WordPiece into digit groups and punctuation.
- A model trained from random weights on a few thousand sentences: see the metrics above before trusting a highlight.
`;
}
