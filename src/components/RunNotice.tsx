import { resultNote, useAppStore } from '../store.ts';

/** Beside the results: that a cancelled run gave them back, or that another backend or precision is chosen since. */
export function RunNotice() {
  const note = useAppStore((s) => resultNote(s.tagRun, s));
  if (note === undefined) return null;
  return (
    <p className="notice run-notice" role="status" data-testid="run-notice">
      {note}
    </p>
  );
}
