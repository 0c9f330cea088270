import { add, zeros } from '../onnx/emit.ts';
import type { Value } from '../onnx/graph.ts';
import type { Tape } from './tape.ts';

/**
 * Reverse-mode differentiation of the recorded forward pass: seed d(loss) = 1,
 * walk the tape backwards (it is already in topological order), let each op's
 * rule turn its outputs' gradients into its inputs' gradients, and sum the
 * gradients of a value used more than once. Returns the gradient of `loss`
 * with respect to each of `wrt` (zeros where the loss does not depend on it).
 */
export function backward(tape: Tape, loss: Value, wrt: readonly Value[]): Map<string, Value> {
  const g = tape.g;
  if (loss.shape.length !== 0) throw new Error(`backward: the loss must be a scalar, got shape [${loss.shape}]`);
  const grads = new Map<string, Value>([[loss.name, g.scalar(1, loss.dtype)]]);

  for (let i = tape.records.length - 1; i >= 0; i--) {
    const rec = tape.records[i]!;
    const dOutputs = rec.outputs.map((o) => grads.get(o.name) ?? null);
    if (dOutputs.every((d) => d === null)) continue;
    const needs = rec.inputs.map((v) => tape.requiresGrad(v));
    const dInputs = rec.backward(g, dOutputs, needs);
    rec.inputs.forEach((v, j) => {
      const d = dInputs[j];
      if (!needs[j] || !d) return;
      if (d.shape.length !== v.shape.length || d.shape.some((s, k) => s !== v.shape[k])) {
        throw new Error(`backward: ${rec.op} rule gave [${d.shape}] for input ${v.name} of shape [${v.shape}]`);
      }
      const prev = grads.get(v.name);
      grads.set(v.name, prev ? add(g, prev, d) : d); // fan-out: a value used twice gets the sum
    });
  }
  return new Map(wrt.map((w) => [w.name, grads.get(w.name) ?? zeros(g, w.dtype, w.shape)]));
}
