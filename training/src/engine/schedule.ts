/** Learning-rate schedule: linear warm-up to the peak, then linear decay to zero. */
export interface LinearSchedule { peakLr: number; warmupSteps: number; totalSteps: number }

/**
 * Learning rate of optimizer step `step` (0-based). Warm-up reaches the peak
 * at step `warmupSteps - 1` (unlike HF's, whose first step has lr 0); decay
 * then falls linearly and would reach 0 at `totalSteps`.
 */
export function learningRate(s: LinearSchedule, step: number): number {
  if (step < s.warmupSteps) return (s.peakLr * (step + 1)) / s.warmupSteps;
  const decaySteps = Math.max(1, s.totalSteps - s.warmupSteps);
  return Math.max(0, (s.peakLr * (s.totalSteps - step)) / decaySteps);
}
