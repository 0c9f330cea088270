import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainCompanies } from '@finer-lens/core/reports/trainCompanies.ts';
import { fetchTrainCompanies } from './filingSeen.ts';

const LIST: TrainCompanies = {
  schema: 1,
  dataset: 'data/ixbrl139',
  companies: [{ key: 'cik:0000066740', cik: '0000066740', name: '3M COMPANY', filings: 2 }],
};

describe('fetchTrainCompanies', () => {
  afterEach(() => vi.unstubAllGlobals());
  const serve = (response: Response) => vi.stubGlobal('fetch', vi.fn(async () => response));

  it('reads the file of the model folder', async () => {
    serve(new Response(JSON.stringify(LIST), { headers: { 'content-type': 'application/json' } }));
    expect(await fetchTrainCompanies('http://x/models/m/')).toEqual({ status: 'ready', companies: LIST });
  });

  it('an older model folder without the file is absent, not an error', async () => {
    serve(new Response('not found', { status: 404 }));
    expect(await fetchTrainCompanies('http://x/models/m/')).toEqual({ status: 'absent' });
    serve(new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    expect(await fetchTrainCompanies('http://x/models/m/')).toEqual({ status: 'absent' });
  });

  it('a malformed file is an error naming it', async () => {
    serve(new Response('{"schema":1', { headers: { 'content-type': 'application/json' } }));
    const state = await fetchTrainCompanies('http://x/models/m/');
    expect(state.status).toBe('error');
    expect(state.status === 'error' && state.message).toMatch(/^models\/m\/train-companies\.json could not be read/);
  });
});
