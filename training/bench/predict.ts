/**
 * `finer predict` throughput on a 10,000-sentence JSONL file: the first
 * sentences of a dataset split, given as `text` (words joined by spaces, so
 * the word tokeniser runs too), through the CLI as a user runs it, for each
 * backend. Prints one JSON line.
 *
 *   npm run bench:predict -- [--model public/models/finer-lens-small] [--data data/ixbrl-all] [--sentences 10000] [--backends onnx,int8,hf]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';

const ROOT = resolve(import.meta.dirname, '../..');
const o = new Command()
  .option('--model <dir>', 'model folder', 'public/models/finer-lens-small')
  .option('--data <dir>', 'dataset folder (its test split is read)', 'data/ixbrl-all')
  .option('--sentences <n>', 'sentences in the file', '10000')
  .option('--backends <list>', 'backends to time', 'onnx,int8,hf')
  .parse()
  .opts<{ model: string; data: string; sentences: string; backends: string }>();

const lines: string[] = [];
for await (const line of createInterface({ input: createReadStream(resolve(ROOT, o.data, 'test.jsonl'), 'utf8') })) {
  if (lines.length >= Number(o.sentences)) break;
  const s = JSON.parse(line) as { tokens: string[] };
  lines.push(JSON.stringify({ text: s.tokens.join(' ') }));
}
const dir = await mkdtemp(join(tmpdir(), 'bench-predict-'));
const input = join(dir, 'in.jsonl');
await writeFile(input, lines.join('\n') + '\n');

const results: Record<string, unknown> = {};
for (const backend of o.backends.split(',')) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'training/src/cli.ts', 'predict', '--model', o.model, '--backend', backend, '--input', input, '--output', join(dir, `${backend}.jsonl`)], { cwd: ROOT, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const m = /tagged (\d+) of .* in ([\d.]+) s: (\d+) sentences\/s, (\d+) sub-tokens\/s/.exec(r.stderr);
  results[backend] = m
    ? { sentences: Number(m[1]), tag_seconds: Number(m[2]), sentences_per_s: Number(m[3]), sub_tokens_per_s: Number(m[4]), process_seconds: Number(seconds.toFixed(1)) }
    : { error: r.stderr.trim().split('\n').at(-1) };
}
process.stdout.write(JSON.stringify({ bench: 'predict', model: o.model, sentences: lines.length, ...results }) + '\n');
