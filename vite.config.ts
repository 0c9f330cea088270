import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // htmlparser2: imported only by the filing worker, so the dev server would find it late and reload the page.
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['htmlparser2'] },
  test: {
    include: ['src/**/*.test.ts', 'training/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
