/** playwright.config.ts: the e2e tests never reuse a server already on the port unless asked (a stale build would be tested). */
import { afterEach, describe, expect, it, vi } from 'vitest';

async function webServer(env: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
  const config = (await import('../playwright.config.ts')).default;
  return config.webServer as { reuseExistingServer?: boolean; command: string };
}

describe('playwright.config webServer', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('builds and serves afresh, locally as in CI, and reuses a running server only with PW_REUSE_SERVER=1', async () => {
    expect((await webServer({ CI: undefined, PW_REUSE_SERVER: undefined })).reuseExistingServer).toBe(false);
    expect((await webServer({ CI: '1', PW_REUSE_SERVER: undefined })).reuseExistingServer).toBe(false);
    expect((await webServer({ CI: undefined, PW_REUSE_SERVER: '1' })).reuseExistingServer).toBe(true);
    expect((await webServer({})).command).toMatch(/vite build .*&& npx vite preview --port 4173 --strictPort/);
  });
});
