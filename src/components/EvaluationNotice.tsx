import { useAppStore } from '../store.ts';

/**
 * reports/eval.json: the evaluation command is not built yet, so the
 * dashboard only says whether the report exists.
 */
export function EvaluationNotice() {
  const evaluation = useAppStore((s) => s.evaluation);
  if (evaluation.status === 'loading') return null;
  return (
    <section className="card" aria-labelledby="eval-heading">
      <h3 id="eval-heading">Evaluation</h3>
      {evaluation.status === 'missing' && (
        <p className="notice">
          <strong>No evaluation report yet.</strong> It will be <code>public/reports/eval.json</code>, written by the
          evaluation command of the training CLI once a model is trained (the command is not built yet).
        </p>
      )}
      {evaluation.status === 'ready' && (
        <p className="notice">
          <code>reports/eval.json</code> is present, but this version of the dashboard does not display evaluation
          reports yet.
        </p>
      )}
      {evaluation.status === 'error' && <p className="notice notice-error">{evaluation.message}</p>}
    </section>
  );
}
