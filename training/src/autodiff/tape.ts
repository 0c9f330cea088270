import type { Graph, Value } from '../onnx/graph.ts';

/**
 * A differentiable op: its forward emitter and, beside it, its vector-Jacobian
 * rule (micrograd's `_backward`, emitting ONNX nodes instead of numbers).
 *
 * `forward` appends the nodes computing the outputs and may return `saved`
 * intermediates the rule reuses (e.g. LayerNorm's Mean/InvStdDev, the dropout
 * mask), so that the backward never recomputes what the forward already has.
 * `vjp` gets the gradient of each output (null where nothing flows back) and
 * which inputs need one; it returns one gradient per input (null = none),
 * each with exactly that input's shape.
 */
export interface OpDef<A> {
  readonly name: string;
  forward(g: Graph, inputs: readonly Value[], attrs: A, training: boolean): { outputs: Value[]; saved?: Value[] };
  vjp(g: Graph, rec: Applied<A>, dOutputs: ReadonlyArray<Value | null>, needs: readonly boolean[]): Array<Value | null>;
}

/** One application of an op, as the forward pass recorded it. */
export interface Applied<A> {
  inputs: readonly Value[];
  outputs: readonly Value[];
  saved: readonly Value[];
  attrs: A;
}

/** A tape entry: the op's name (for errors) and its rule bound to this application. */
export interface TapeRecord {
  readonly op: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  backward(g: Graph, dOutputs: ReadonlyArray<Value | null>, needs: readonly boolean[]): Array<Value | null>;
}

/**
 * The forward pass being recorded. Ops applied through `apply` append their
 * nodes to the graph; those with an input that needs a gradient are also
 * recorded, in execution order, which is a topological order of the tape.
 * With `training` false (export) no statistics are saved and dropout is the
 * identity, so the same model code emits the plain inference graph.
 */
export class Tape {
  readonly records: TapeRecord[] = [];
  private readonly needsGrad = new Set<string>();

  constructor(
    readonly g: Graph,
    readonly training: boolean,
  ) {}

  /** Mark a value (a parameter, or a test input) as something we want the gradient of. */
  requireGrad(v: Value): Value {
    this.needsGrad.add(v.name);
    return v;
  }

  requiresGrad(v: Value): boolean {
    return this.needsGrad.has(v.name);
  }

  apply<A>(op: OpDef<A>, inputs: readonly Value[], attrs: A): Value[] {
    const { outputs, saved = [] } = op.forward(this.g, inputs, attrs, this.training);
    if (this.training && inputs.some((v) => this.needsGrad.has(v.name))) {
      const rec: Applied<A> = { inputs, outputs, saved, attrs };
      this.records.push({ op: op.name, inputs, outputs, backward: (g, d, needs) => op.vjp(g, rec, d, needs) });
      for (const o of outputs) if (o.dtype === 'float32' || o.dtype === 'float64') this.needsGrad.add(o.name);
    }
    return outputs;
  }
}
