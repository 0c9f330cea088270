import { useState, type DragEvent } from 'react';
import { useAppStore } from '../store.ts';

/** File picker and drop zone for an iXBRL filing (.htm, .html, .htm.gz). */
export function FileOpener({ busy }: { busy: boolean }) {
  const openFiling = useAppStore((s) => s.openFiling);
  const [dragging, setDragging] = useState(false);

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
    </div>
  );
}
