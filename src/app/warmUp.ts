/**
 * The warm-up: once the page is idle after it shows, the model starts
 * loading in the worker, so the first Tag does not wait for several MB of
 * model. Never on a connection that asks to save data (a metered one).
 */

/** How long after the screen shows before the warm-up may start: the page's own loading comes first. */
export const WARM_UP_DELAY_MS = 1000;
/** The longest the warm-up waits for an idle moment after the delay. */
export const IDLE_TIMEOUT_MS = 3000;

/** What the warm-up needs of `window` (a fake in the tests). */
export interface IdleHost {
  navigator: { connection?: { saveData?: boolean } };
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number): void;
  requestIdleCallback?(run: () => void, options: { timeout: number }): number;
  cancelIdleCallback?(id: number): void;
}

/** The browser asks pages to save data (Save-Data, `navigator.connection.saveData`). */
export function savesData(host: Pick<IdleHost, 'navigator'>): boolean {
  return host.navigator.connection?.saveData === true;
}

/** Run `warmUp` at the first idle moment WARM_UP_DELAY_MS from now, unless data is to be saved. Returns the cancel. */
export function scheduleWarmUp(warmUp: () => void, host: IdleHost = window as unknown as IdleHost): () => void {
  if (savesData(host)) return () => {};
  let idle: number | undefined;
  const timer = host.setTimeout(() => {
    if (host.requestIdleCallback) idle = host.requestIdleCallback(warmUp, { timeout: IDLE_TIMEOUT_MS });
    else warmUp(); // Safari has no requestIdleCallback: the delay alone
  }, WARM_UP_DELAY_MS);
  return () => {
    host.clearTimeout(timer);
    if (idle !== undefined) host.cancelIdleCallback?.(idle);
  };
}
