import type { TagProgress } from '@finer-lens/core/ner/types.ts';

/** Windows tagged so far, with the Cancel button. */
export function TagProgressBar({ step, progress, onCancel }: { step: string; progress?: TagProgress; onCancel(): void }) {
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : undefined;
  return (
    <div className="tag-progress" role="status" aria-live="polite">
      <span id="tag-progress-label">
        {step}
        {fraction !== undefined && ` ${Math.round(fraction * 100)}%`}
      </span>
      <progress aria-labelledby="tag-progress-label" max={1} value={fraction} />
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
