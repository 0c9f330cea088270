import { describe, expect, it } from 'vitest';
import { runLabInProcess } from './cli-run.ts';

describe('lab', () => {
  it('says bad input in one line under its own name, not finer', async () => {
    const r = await runLabInProcess(['average', '--models', '/nonexistent/a', '/nonexistent/b', '--out', '/nonexistent/out']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lab: \/nonexistent\/a[^\n]*\n$/);
  });
});
