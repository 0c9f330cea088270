import { EXAMPLES } from '../app/examples.ts';
import { useAppStore } from '../store.ts';

/** Buttons that put an example paragraph in the text area. */
export function ExamplePicker() {
  const setText = useAppStore((s) => s.setTagText);
  return (
    <div className="example-picker" role="group" aria-labelledby="examples-label">
      <span id="examples-label">Examples:</span>
      {EXAMPLES.map((ex) => (
        <button key={ex.id} type="button" data-example={ex.id} onClick={() => setText(ex.text)}>
          {ex.title}
        </button>
      ))}
    </div>
  );
}
