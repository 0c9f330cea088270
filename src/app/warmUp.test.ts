import { describe, expect, it, vi } from 'vitest';
import { scheduleWarmUp, WARM_UP_DELAY_MS, type IdleHost } from './warmUp.ts';

/** A window whose timers and idle callbacks the test runs by hand. */
function fakeHost(saveData?: boolean, idle = true) {
  const timers = new Map<number, () => void>();
  const idles = new Map<number, () => void>();
  let next = 1;
  const host: IdleHost = {
    navigator: saveData === undefined ? {} : { connection: { saveData } },
    setTimeout: (run, ms) => {
      expect(ms).toBe(WARM_UP_DELAY_MS);
      timers.set(next, run);
      return next++;
    },
    clearTimeout: (id) => timers.delete(id),
    ...(idle
      ? {
          requestIdleCallback: (run: () => void) => {
            idles.set(next, run);
            return next++;
          },
          cancelIdleCallback: (id: number) => idles.delete(id),
        }
      : {}),
  };
  const flush = (m: Map<number, () => void>) => {
    const runs = [...m.values()];
    m.clear();
    runs.forEach((r) => r());
  };
  return { host, runTimers: () => flush(timers), runIdle: () => flush(idles), pending: () => timers.size + idles.size };
}

describe('scheduleWarmUp', () => {
  it('waits for the delay, then for an idle moment', () => {
    const warmUp = vi.fn();
    const fake = fakeHost(false);
    scheduleWarmUp(warmUp, fake.host);
    expect(warmUp).not.toHaveBeenCalled();
    fake.runTimers();
    expect(warmUp).not.toHaveBeenCalled();
    fake.runIdle();
    expect(warmUp).toHaveBeenCalledTimes(1);
  });

  it('does nothing on a connection that asks to save data', () => {
    const warmUp = vi.fn();
    const fake = fakeHost(true);
    scheduleWarmUp(warmUp, fake.host);
    expect(fake.pending()).toBe(0);
    fake.runTimers();
    fake.runIdle();
    expect(warmUp).not.toHaveBeenCalled();
  });

  it('is cancelled before the delay or while waiting for idle (the user left the screen)', () => {
    const warmUp = vi.fn();
    const early = fakeHost();
    scheduleWarmUp(warmUp, early.host)();
    expect(early.pending()).toBe(0);
    const late = fakeHost();
    const cancel = scheduleWarmUp(warmUp, late.host);
    late.runTimers();
    cancel();
    late.runIdle();
    expect(warmUp).not.toHaveBeenCalled();
  });

  it('without requestIdleCallback, runs after the delay', () => {
    const warmUp = vi.fn();
    const fake = fakeHost(undefined, false);
    scheduleWarmUp(warmUp, fake.host);
    fake.runTimers();
    expect(warmUp).toHaveBeenCalledTimes(1);
  });
});
