import { useEffect, useState } from 'react';
import { trainCompanyOf } from '@finer-lens/core/reports/trainCompanies.ts';
import { fetchTrainCompanies, type TrainCompaniesState } from '../app/filingSeen.ts';
import { folderUrl, modelNameOf } from '../backends/modelFolder.ts';

/** One fetch per page: the model folder does not change while the page is open. */
let loading: Promise<TrainCompaniesState> | undefined;

function loadTrainCompanies(): Promise<TrainCompaniesState> {
  loading ??= (async () => {
    try {
      return await fetchTrainCompanies(folderUrl(import.meta.env.BASE_URL, modelNameOf(location.search)));
    } catch (err) {
      return { status: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  })();
  return loading;
}

/** The model folder's train-companies.json, as it loads. */
function useTrainCompanies(): TrainCompaniesState {
  const [state, setState] = useState<TrainCompaniesState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    void loadTrainCompanies().then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/**
 * Whether the filing's company was in the model's training split: a score on
 * it is then a seen-company figure, else an unseen one. Nothing when the
 * model folder does not list its train companies.
 */
export function SeenInTraining({ company, as }: { company: string; as: 'fact' | 'note' }) {
  const state = useTrainCompanies();
  if (state.status === 'loading' || state.status === 'absent') return null;
  if (state.status === 'error') {
    return as === 'fact' ? (
      <div>
        <dt>Seen in training</dt>
        <dd data-testid="seen-in-training" data-seen="unknown">
          unknown ({state.message})
        </dd>
      </div>
    ) : null;
  }
  const seen = trainCompanyOf(state.companies, company);
  if (as === 'fact') {
    return (
      <div>
        <dt>Seen in training</dt>
        <dd data-testid="seen-in-training" data-seen={seen ? 'yes' : 'no'} title={`train-companies.json of the model: ${state.companies.companies.length} companies of ${state.companies.dataset}`}>
          {seen ? `Yes, a train-split company (${seen.filings} filing${seen.filings === 1 ? '' : 's'})` : 'No, not a train-split company'}
        </dd>
      </div>
    );
  }
  return (
    <p className="hint seen-note" data-testid="seen-note" data-seen={seen ? 'yes' : 'no'}>
      {seen
        ? "This company's filings were in the model's training data: the score here is a seen-company figure, likely above what the model does on a new company."
        : "This company was not in the model's training split: the score here is an unseen-company figure, as on a new filer."}
    </p>
  );
}
