/**
 * The built app on `vite preview`, for the benchmark and screenshot scripts:
 * started with vite's own script (killing `npx vite` would leave the server
 * running) and awaited until it answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface PreviewServer { url: string; server: ChildProcess }

export async function startPreview(port: number): Promise<PreviewServer> {
  const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  const url = `http://localhost:${port}/`;
  for (let i = 0; ; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return { url, server };
    if (i > 100) {
      server.kill();
      throw new Error(`vite preview did not answer on ${url}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
