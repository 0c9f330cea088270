/**
 * E2E tests in Debian's Chromium (`apt-get install chromium`; `npx playwright
 * install` cannot download browsers here). The built app is served by
 * `vite preview` on port 4173.
 *
 * Every run builds and serves the app afresh: a server already on the port
 * (say a `vite preview` left running, serving an older build) makes the run
 * fail at once instead of being tested. PW_REUSE_SERVER=1 reuses it, for quick
 * local iterations on the tests only; it is then up to you that it is current.
 */
import { defineConfig } from '@playwright/test';

const PORT = 4173;
const REUSE_SERVER = process.env.PW_REUSE_SERVER === '1';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1280, height: 900 },
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: REUSE_SERVER, // off unless asked: never tests a stale server by accident
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
