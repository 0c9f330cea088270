/**
 * --budget-minutes as a step count that keeps up with the machine. The first
 * estimate times one step before the run, one-time costs included, and the
 * pace changes when another job starts or stops: the linear-decay schedule
 * would then end long before the deadline, or be cut off by it with the
 * learning rate still high. So after every step the loop re-fits the total to
 * the time left at the pace measured so far, and the decay ends at the
 * deadline. (A one-step change of the total moves the learning rate by about
 * peak / steps: far below the step-to-step noise of the gradients.)
 */

export interface Pace {
  /** Optimizer steps done so far (all runs). */
  step: number;
  /** Steps this process has done, and the milliseconds they took. */
  stepsHere: number;
  msHere: number;
  /** Milliseconds to the deadline. */
  msLeft: number;
}

/**
 * The step count that spends the time left at the pace measured so far: at
 * least one more step, so the run still ends on a saved last step.
 */
export function fitTotalSteps(p: Pace): number {
  if (!(p.stepsHere > 0) || !(p.msHere > 0)) throw new Error(`fitTotalSteps: expected steps and time measured, got ${p.stepsHere} steps in ${p.msHere} ms`);
  const msPerStep = p.msHere / p.stepsHere;
  return p.step + Math.max(1, Math.floor(Math.max(0, p.msLeft) / msPerStep));
}
