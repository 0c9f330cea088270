/**
 * Training throughput: one full step (forward, backward, global-norm clipping
 * to 1.0, AdamW) of DistilBERT token classification on random token ids, as
 * `../shared/bench/torch_reference.py` does, then the same shape in PyTorch
 * in the same run (when /usr/bin/python3 has torch) and the ratio.
 *
 *   npm run bench:train -- --layers 4 --dim 256 --heads 4 --hidden 1024 --vocab 16000 --batch 16 --seq 128 --steps 10
 *
 * Prints one JSON line. Defaults are the reference's (DistilBERT-base shape,
 * cased vocabulary 28996, 5 labels). `--rounds N` alternates our run and
 * PyTorch's N times and reports medians, so that load from other processes
 * hits both sides alike; `ratio` is the median of the per-round ratios,
 * `ratio_best` the best round of each engine (the cores happened to be free).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { defaultConfig } from '../src/model/config.ts';
import { initParams, paramSpecs } from '../src/model/params.ts';
import { createTrainingStep } from '../src/engine/step.ts';
import { AdamW, clipScale, globalNorm } from '../src/engine/adamw.ts';
import type { Batch } from '../src/train/batch.ts';
import { mulberry32 } from '../src/util/rng.ts';
import { FinerError } from '../src/util/errors.ts';

const here = dirname(fileURLToPath(import.meta.url));
const TORCH_SCRIPT = resolve(here, '../../../shared/bench/torch_reference.py');
const PYTHON = '/usr/bin/python3';

interface Shape { layers: number; dim: number; heads: number; hidden: number; vocab: number; labels: number; batch: number; seq: number }
interface Options extends Shape { steps: number; warmup: number; threads: number; spinning: boolean; rounds: number; torch: boolean; torchThreads: number[]; profile?: string }

interface OurRun { stepMs: number; fwdBwdMs: number; optimizerMs: number; params: number; loss: number }
interface TorchRun { stepMs: number; tokensPerS: number; threads: number; engine: string }

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return n;
}

/** Random ids in [0, vocab), all positions attended, labels in [0, labels) with -100 at position 0 (as the reference). */
function randomBatch(s: Shape, seed: number): Batch {
  const rand = mulberry32(seed);
  const n = s.batch * s.seq;
  const inputIds = new BigInt64Array(n);
  const labels = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    inputIds[i] = BigInt(Math.floor(rand() * s.vocab));
    labels[i] = i % s.seq === 0 ? -100n : BigInt(Math.floor(rand() * s.labels));
  }
  return { inputIds, attentionMask: new BigInt64Array(n).fill(1n), labels, batchSize: s.batch, seqLen: s.seq };
}

async function runOurs(o: Options): Promise<OurRun> {
  const config = defaultConfig({ n_layers: o.layers, dim: o.dim, n_heads: o.heads, hidden_dim: o.hidden, vocab_size: o.vocab });
  const specs = paramSpecs(config, 'token-classification', o.labels);
  const params = initParams(specs, config, 0);
  const optimizer = new AdamW(specs, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  const step = await createTrainingStep(config, 'token-classification', o.labels, { dropoutSeed: 1, threads: o.threads, spinning: o.spinning, profile: o.profile });
  const batch = randomBatch(o, 0);
  let fwdBwd = 0;
  let opt = 0;
  let loss = NaN;
  const one = async (): Promise<void> => {
    const t0 = performance.now();
    const r = await step.run(params, batch);
    const t1 = performance.now();
    optimizer.update(params, r.grads, 5e-5, clipScale(globalNorm(r.grads), 1.0));
    const t2 = performance.now();
    fwdBwd += t1 - t0;
    opt += t2 - t1;
    loss = r.loss;
  };
  try {
    for (let i = 0; i < o.warmup; i++) await one();
    fwdBwd = opt = 0;
    const t = performance.now();
    for (let i = 0; i < o.steps; i++) await one();
    const total = performance.now() - t;
    const params_ = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
    return { stepMs: total / o.steps, fwdBwdMs: fwdBwd / o.steps, optimizerMs: opt / o.steps, params: params_, loss };
  } finally {
    await step.release();
  }
}

function torchAvailable(): boolean {
  if (!existsSync(PYTHON) || !existsSync(TORCH_SCRIPT)) return false;
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function runTorch(o: Options, threads: number): TorchRun {
  const args = [TORCH_SCRIPT, '--layers', o.layers, '--dim', o.dim, '--heads', o.heads, '--hidden', o.hidden, '--vocab', o.vocab,
    '--labels', o.labels, '--batch', o.batch, '--seq', o.seq, '--steps', o.steps, '--warmup', o.warmup, '--threads', threads].map(String);
  // unset the OpenBLAS overrides so that it picks its fastest kernels (as the issue asks)
  const env = { ...process.env };
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new FinerError(`${TORCH_SCRIPT}: exited with ${r.status}: ${(r.stderr ?? '').trim().split('\n').at(-1)}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let j: { step_ms?: unknown; tokens_per_s?: unknown; threads?: unknown; engine?: unknown };
  try {
    j = JSON.parse(line) as typeof j;
  } catch {
    throw new FinerError(`${TORCH_SCRIPT}: expected one JSON line on stdout, got "${line.slice(0, 80)}"`);
  }
  if (typeof j.step_ms !== 'number' || typeof j.tokens_per_s !== 'number') throw new FinerError(`${TORCH_SCRIPT}: fields "step_ms" and "tokens_per_s" must be numbers, got ${line.slice(0, 120)}`);
  return { stepMs: j.step_ms, tokensPerS: j.tokens_per_s, threads: typeof j.threads === 'number' ? j.threads : threads, engine: String(j.engine) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;

async function main(o: Options): Promise<void> {
  if (o.dim % o.heads !== 0) throw new FinerError(`--dim ${o.dim} must be a multiple of --heads ${o.heads}`);
  const tokens = o.batch * o.seq;
  const torch = o.torch && torchAvailable();
  const ours: OurRun[] = [];
  const theirs: TorchRun[] = [];
  for (let r = 0; r < o.rounds; r++) {
    ours.push(await runOurs(o));
    if (torch) {
      // the reference's faster setting this round (on 2 cores "--threads 1" usually wins: OpenBLAS threads on its own)
      const runs = o.torchThreads.map((t) => runTorch(o, t));
      theirs.push(runs.reduce((a, b) => (b.tokensPerS > a.tokensPerS ? b : a)));
    }
  }
  const stepMs = median(ours.map((x) => x.stepMs));
  const tokensPerS = tokens / (stepMs / 1000);
  const out: Record<string, unknown> = {
    bench: 'train',
    engine: 'onnxruntime-node',
    threads: o.threads,
    spinning: o.spinning,
    params: ours[0]!.params,
    batch: o.batch,
    seq: o.seq,
    steps: o.steps,
    rounds: o.rounds,
    step_ms: round1(stepMs),
    fwd_bwd_ms: round1(median(ours.map((x) => x.fwdBwdMs))),
    optimizer_ms: round1(median(ours.map((x) => x.optimizerMs))),
    tokens_per_s: round1(tokensPerS),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    loss: Number(ours.at(-1)!.loss.toFixed(4)),
  };
  if (theirs.length) {
    // each round's ratio compares two runs taken back to back; the median of those is the headline
    const perRound = ours.map((x, i) => tokens / (x.stepMs / 1000) / theirs[i]!.tokensPerS);
    Object.assign(out, {
      torch_engine: theirs[0]!.engine,
      torch_threads: theirs.map((x) => x.threads).join(','),
      torch_step_ms: round1(median(theirs.map((x) => x.stepMs))),
      torch_tokens_per_s: round1(median(theirs.map((x) => x.tokensPerS))),
      ratio: Math.round(median(perRound) * 100) / 100,
      ratio_per_round: perRound.map((r) => Math.round(r * 100) / 100),
      // best round against best round: what each engine does when the shared cores happen to be free
      best_tokens_per_s: round1(Math.max(...ours.map((x) => tokens / (x.stepMs / 1000)))),
      torch_best_tokens_per_s: round1(Math.max(...theirs.map((x) => x.tokensPerS))),
      ratio_best: Math.round((Math.max(...ours.map((x) => tokens / (x.stepMs / 1000))) / Math.max(...theirs.map((x) => x.tokensPerS))) * 100) / 100,
    });
  } else {
    out['torch'] = o.torch ? `not run: ${PYTHON} with torch or ${TORCH_SCRIPT} missing` : 'not run (--no-torch)';
  }
  console.log(JSON.stringify(out));
}

const program = new Command('bench:train')
  .description('time full training steps (forward, backward, clip, AdamW) and compare with PyTorch; prints one JSON line')
  .option('--layers <n>', 'transformer layers', positiveInt, 6)
  .option('--dim <n>', 'hidden size', positiveInt, 768)
  .option('--heads <n>', 'attention heads', positiveInt, 12)
  .option('--hidden <n>', 'feed-forward size', positiveInt, 3072)
  .option('--vocab <n>', 'vocabulary size', positiveInt, 28996)
  .option('--labels <n>', 'label count', positiveInt, 5)
  .option('--batch <n>', 'sentences per batch', positiveInt, 16)
  .option('--seq <n>', 'tokens per sentence', positiveInt, 128)
  .option('--steps <n>', 'timed steps', positiveInt, 10)
  .option('--warmup <n>', 'untimed steps first', (v) => Number(v), 2)
  .option('--threads <n>', 'onnxruntime intra-op threads', positiveInt, 2)
  .option('--spinning', 'let onnxruntime worker threads spin between kernels (default: they block)', false)
  .option('--rounds <n>', 'alternate ours and PyTorch this many times; medians are reported', positiveInt, 1)
  .option('--torch-threads <list>', 'PyTorch --threads settings to try each round (the faster counts)', (v) => v.split(',').map(positiveInt), [1, 2])
  .option('--no-torch', 'skip the PyTorch reference')
  .option('--profile <prefix>', 'write an onnxruntime profile (JSON) with this file prefix; summarise with bench/ort-profile.ts');

program.parse();
main(program.opts<Options>()).catch((e: unknown) => {
  if (e instanceof FinerError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
});
