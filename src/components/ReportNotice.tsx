import type { ReportState } from '../app/reports.ts';

/** Loading, missing (with the command that writes the report) or unreadable report; nothing once it is ready. */
export function ReportNotice<T>({ state, file, what, command }: { state: ReportState<T>; file: string; what: string; command: string }) {
  if (state.status === 'loading') return <p role="status">Loading reports/{file}…</p>;
  if (state.status === 'missing') {
    return (
      <div role="status" className="notice report-missing" data-report={file}>
        <strong>No {what} yet.</strong> <code>public/reports/{file}</code> is written by <code>{command}</code>; run it, then rebuild
        the app.
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div role="alert" className="notice notice-error" data-report={file}>
        <strong>The {what} cannot be shown.</strong> {state.message}
      </div>
    );
  }
  return null;
}
