import type { ParseProgress } from '../app/readFiling.ts';

/** Where the parsing worker is: bytes read, then labelling. */
export function ParseProgressBar({ fileName, progress }: { fileName: string; progress?: ParseProgress }) {
  const fraction = progress && progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0;
  const label =
    progress?.phase === 'labelling'
      ? `Finding tagged sentences in ${fileName}…`
      : `Reading ${fileName}… ${Math.round(fraction * 100)}%`;
  return (
    <div className="parse-progress" role="status" aria-live="polite">
      <span id="parse-progress-label">{label}</span>
      <progress
        aria-labelledby="parse-progress-label"
        max={1}
        value={progress?.phase === 'labelling' ? undefined : fraction}
      />
    </div>
  );
}
