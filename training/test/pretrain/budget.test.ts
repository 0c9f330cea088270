import { describe, expect, it } from 'vitest';
import { fitTotalSteps } from '../../src/pretrain/budget.ts';

describe('fitTotalSteps', () => {
  it('spends the time left at the pace measured so far', () => {
    // 100 steps in 50 s: 0.5 s a step; 60 s left -> 120 more steps
    expect(fitTotalSteps({ step: 300, stepsHere: 100, msHere: 50_000, msLeft: 60_000 })).toBe(420);
  });

  it('shrinks the total when the machine slows down, and grows it when it speeds up', () => {
    const slow = fitTotalSteps({ step: 100, stepsHere: 100, msHere: 200_000, msLeft: 100_000 });
    const fast = fitTotalSteps({ step: 100, stepsHere: 100, msHere: 50_000, msLeft: 100_000 });
    expect(slow).toBe(150);
    expect(fast).toBe(300);
  });

  it('keeps at least one more step when the time is spent', () => {
    expect(fitTotalSteps({ step: 40, stepsHere: 40, msHere: 10_000, msLeft: 0 })).toBe(41);
    expect(fitTotalSteps({ step: 40, stepsHere: 40, msHere: 10_000, msLeft: -5_000 })).toBe(41);
  });

  it('refuses a pace that was not measured', () => {
    expect(() => fitTotalSteps({ step: 0, stepsHere: 0, msHere: 0, msLeft: 1000 })).toThrow(/expected steps and time measured/);
  });
});
