import { useState, type ClipboardEvent } from 'react';
import { useAppStore } from '../store.ts';

/**
 * Longest text the text area shows. Laying out a text area of a whole 10-K
 * (400,000 characters) blocks the page for a second or more, so a longer text
 * is kept in the store and shown as a preview until the analyst asks to edit it.
 */
export const TEXTAREA_MAX = 50_000;
/** Pastes longer than this are inserted by the app (one value update) instead of the browser's editor. */
const BIG_PASTE = 10_000;
const PREVIEW = 1_500;

/** The text to tag: a text area, a text file, or a preview of a long text. */
export function TextInput() {
  const text = useAppStore((s) => s.tagText);
  const setText = useAppStore((s) => s.setTagText);
  const [editLong, setEditLong] = useState(false);
  const long = text.length > TEXTAREA_MAX && !editLong;

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = event.clipboardData.getData('text/plain');
    if (pasted.length <= BIG_PASTE) return; // the browser's own paste (keeps undo)
    event.preventDefault();
    const area = event.currentTarget;
    setText(area.value.slice(0, area.selectionStart) + pasted + area.value.slice(area.selectionEnd));
  };

  return (
    <>
      {long ? (
        <div className="long-text" id="tag-text-long" role="group" aria-labelledby="tag-text-label" aria-describedby="tag-text-help">
          <p className="long-text-preview" data-testid="long-text-preview">
            {text.slice(0, PREVIEW)}…
          </p>
          <div className="long-text-actions">
            <button type="button" onClick={() => setEditLong(true)}>
              Edit in the text area (slow for long texts)
            </button>
            <button type="button" onClick={() => setText('')}>
              Clear
            </button>
          </div>
        </div>
      ) : (
        <textarea
          id="tag-text"
          value={text}
          rows={8}
          spellCheck={false}
          aria-labelledby="tag-text-label"
          aria-describedby="tag-text-help"
          onPaste={onPaste}
          onChange={(e) => setText(e.target.value)}
        />
      )}
      <div className="text-file">
        <label htmlFor="text-file">Or open a text file</label>
        <input
          id="text-file"
          type="file"
          accept=".txt,text/plain"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) setText(await file.text());
          }}
        />
      </div>
      <p id="tag-text-help" className="hint">
        {text.length.toLocaleString('en-US')} characters
        {long && ' (a long text: shown as a preview)'}. Tagged in this browser tab by the finer-lens model; nothing is uploaded.
      </p>
    </>
  );
}
