import { useEffect, useRef, useState, type DragEvent } from 'react';
import { fetchSampleFiling, SAMPLE_FILING } from '../app/filingSample.ts';
import { useAppStore } from '../store.ts';

/** File picker and drop zone for an iXBRL filing (.htm, .html, .htm.gz). */
export function FileOpener({ busy }: { busy: boolean }) {
  const openFiling = useAppStore((s) => s.openFiling);
  const [dragging, setDragging] = useState(false);
  const [sampleError, setSampleError] = useState<string>();
  const [fetching, setFetching] = useState(false);
  const sampleAlert = useRef<HTMLParagraphElement>(null);
  // the button was disabled while fetching, so focus fell to <body>: give it to the message
  useEffect(() => {
    if (sampleError) sampleAlert.current?.focus();
  }, [sampleError]);

  const openSample = async () => {
    setSampleError(undefined);
    setFetching(true);
    try {
      await openFiling(await fetchSampleFiling(import.meta.env.BASE_URL));
    } catch (err) {
      setSampleError(err instanceof Error ? err.message : String(err));
    } finally {
      setFetching(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void openFiling(file);
  };

  return (
    <div
      className={`file-opener${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label htmlFor="filing-file" className="file-opener-label">
        Open an inline-XBRL 10-K or 10-Q
      </label>
      <input
        id="filing-file"
        type="file"
        accept=".htm,.html,.xhtml,.gz,text/html,application/xhtml+xml,application/gzip"
        aria-describedby="filing-file-help"
        disabled={busy}
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void openFiling(file);
          event.target.value = ''; // opening the same file again fires change again
        }}
      />
      <p id="filing-file-help" className="file-opener-help">
        <code>.htm</code>, <code>.html</code> or gzipped <code>.htm.gz</code> — or drop the file here.
      </p>
      <p className="file-opener-sample">
        <button type="button" disabled={busy || fetching} onClick={() => void openSample()} aria-describedby="sample-filing-help">
          Open a sample filing
        </button>{' '}
        <span id="sample-filing-help" className="file-opener-help">
          {SAMPLE_FILING.company}, {SAMPLE_FILING.form} for the {SAMPLE_FILING.period} ({SAMPLE_FILING.kilobytes} KB, shipped with the app)
        </span>
      </p>
      {sampleError && (
        <p role="alert" className="notice notice-error" tabIndex={-1} ref={sampleAlert}>
          <strong>Could not open the sample filing.</strong> {sampleError}
        </p>
      )}
    </div>
  );
}
