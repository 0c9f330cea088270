/**
 * Per-op totals from an onnxruntime profile (the JSON that `enableProfiling`
 * writes: Chrome trace events, one "Node" event per kernel run).
 * Usage: tsx bench/ort-profile.ts <profile.json> [top=15]
 */
import { readFileSync } from 'node:fs';
import { FinerError } from '../src/util/errors.ts';

interface TraceEvent { cat?: string; name?: string; ts?: number; dur?: number; args?: { op_name?: string } }
export interface OpTotal { op: string; ms: number; calls: number; share: number }

/** Sum kernel time by op type; runs = how many session.run calls the profile covers (to get per-step ms). */
export function opTotals(events: readonly TraceEvent[], runs: number): OpTotal[] {
  const byOp = new Map<string, { us: number; calls: number }>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || typeof e.dur !== 'number') continue;
    const op = e.args?.op_name ?? '?';
    const t = byOp.get(op) ?? { us: 0, calls: 0 };
    t.us += e.dur;
    t.calls += 1;
    byOp.set(op, t);
    total += e.dur;
  }
  return [...byOp.entries()]
    .map(([op, t]) => ({ op, ms: t.us / 1000 / runs, calls: t.calls / runs, share: t.us / total }))
    .sort((a, b) => b.ms - a.ms);
}

export function readProfile(file: string): TraceEvent[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FinerError(`${file}: cannot read an onnxruntime profile (${(e as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new FinerError(`${file}: expected a JSON array of trace events`);
  return raw as TraceEvent[];
}

/** How many session runs a profile covers (one "model_run" event each). */
export function runCount(events: readonly TraceEvent[]): number {
  return Math.max(1, events.filter((e) => e.name === 'model_run').length);
}

/**
 * Only the events of the fastest session run: on a machine shared with other
 * work, the least disturbed run shows the true proportions.
 */
export function fastestRun(events: readonly TraceEvent[]): TraceEvent[] {
  const runs = events.filter((e) => e.name === 'model_run' && typeof e.ts === 'number' && typeof e.dur === 'number');
  if (runs.length === 0) return [...events];
  const best = runs.reduce((a, b) => (b.dur! < a.dur! ? b : a));
  return events.filter((e) => e === best || (e.cat === 'Node' && e.ts! >= best.ts! && e.ts! <= best.ts! + best.dur!));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top = '15', which = 'all'] = process.argv.slice(2);
  if (!file) throw new FinerError('usage: ort-profile.ts <profile.json> [top] [all|fastest]');
  const all = readProfile(file);
  const events = which === 'fastest' ? fastestRun(all) : all;
  const runs = runCount(events);
  const runMs = events.filter((e) => e.name === 'model_run').map((e) => (e.dur ?? 0) / 1000);
  console.log(`${runs} runs (${which}), run ms: ${runMs.map((x) => x.toFixed(0)).join(' ')}; per run:`);
  for (const t of opTotals(events, runs).slice(0, Number(top))) {
    console.log(`${t.op.padEnd(28)} ${t.ms.toFixed(2).padStart(8)} ms ${(100 * t.share).toFixed(1).padStart(5)} %  ${t.calls} calls`);
  }
}
