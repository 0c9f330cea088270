import { parseTrainCompanies, TRAIN_COMPANIES_FILE, TrainCompaniesError, type TrainCompanies } from '@finer-lens/core/reports/trainCompanies.ts';

/** What the page knows of the model's train companies. */
export type TrainCompaniesState =
  | { status: 'loading' }
  | { status: 'ready'; companies: TrainCompanies }
  /** The model folder has no train-companies.json (a model exported before it was written). */
  | { status: 'absent' }
  | { status: 'error'; message: string };

/** Fetch the folder's train-companies.json: a 404 (or the dev server's HTML fallback) is 'absent'. */
export async function fetchTrainCompanies(folderUrl: string): Promise<TrainCompaniesState> {
  const where = `models/${folderUrl.replace(/\/$/, '').split('/').at(-1)}/${TRAIN_COMPANIES_FILE}`;
  try {
    const response = await fetch(new URL(TRAIN_COMPANIES_FILE, folderUrl), { headers: { accept: 'application/json' } });
    if (response.status === 404 || (response.headers.get('content-type') ?? '').includes('text/html')) return { status: 'absent' };
    if (!response.ok) return { status: 'error', message: `${where}: HTTP ${response.status}` };
    return { status: 'ready', companies: parseTrainCompanies(JSON.parse(await response.text()), where) };
  } catch (err) {
    return { status: 'error', message: err instanceof TrainCompaniesError ? err.message : `${where} could not be read (${err instanceof Error ? err.message : String(err)})` };
  }
}
