import { useMemo } from 'react';
import { useAppStore } from '../store.ts';
import { BackendSummary } from './BackendSummary.tsx';
import { CompareSummary } from './CompareSummary.tsx';
import { EntityTable } from './EntityTable.tsx';
import { ExamplePicker } from './ExamplePicker.tsx';
import { HighlightedText } from './HighlightedText.tsx';
import { LanguageNotice } from './LanguageNotice.tsx';
import { ModelControls } from './ModelControls.tsx';
import { TagProgressBar } from './TagProgressBar.tsx';
import { TextInput } from './TextInput.tsx';

/** "Tag text" tab: paste 10-K text, tag it with the model in the browser, see and export the entities. */
export function TagTextScreen() {
  const text = useAppStore((s) => s.tagText);
  const run = useAppStore((s) => s.tagRun);
  const cancel = useAppStore((s) => s.cancelTag);
  const busy = run.status === 'running';
  const taggedText = run.status === 'tagged' || run.status === 'compared' ? run.text : undefined;

  const differing = useMemo(() => {
    if (run.status !== 'compared') return undefined;
    const keys = new Set(run.agreement.differences.flatMap((d) => d.a.map((e) => e.start)));
    return new Set(run.onnx.entities.flatMap((e, i) => (keys.has(e.start) ? [i] : [])));
  }, [run]);

  return (
    <section className="screen" aria-labelledby="tag-heading">
      <h2 id="tag-heading" className="visually-hidden">
        Tag text
      </h2>
      <div className="card tag-input">
        <label htmlFor="tag-text" id="tag-text-label" className="tag-text-label">
          10-K text to tag
        </label>
        <ExamplePicker />
        <TextInput />
        <ModelControls busy={busy} />
      </div>
      <LanguageNotice />

      {run.status === 'running' && <TagProgressBar step={run.step} progress={run.progress} onCancel={cancel} />}
      {run.status === 'cancelled' && (
        <p className="notice" role="status">
          Tagging cancelled. The text is still there: press Tag to start again.
        </p>
      )}
      {run.status === 'error' && (
        <div role="alert" className="notice notice-error">
          <strong>Could not tag the text.</strong> {run.message}
        </div>
      )}
      {taggedText !== undefined && taggedText !== text && (
        <p className="notice" role="status">
          The text has changed since it was tagged; the results below are for the earlier text. Press Tag to tag it again.
        </p>
      )}

      {run.status === 'tagged' && (
        <>
          <section className="card" aria-label="Model run">
            <BackendSummary result={run.result} />
          </section>
          <HighlightedText text={run.text} entities={run.result.entities} provider={run.result.provider} />
          <EntityTable text={run.text} entities={run.result.entities} provider={run.result.provider} />
        </>
      )}
      {run.status === 'compared' && (
        <>
          <CompareSummary onnx={run.onnx} hf={run.hf} agreement={run.agreement} />
          <HighlightedText text={run.text} entities={run.onnx.entities} provider={run.onnx.provider} differing={differing} />
          <EntityTable text={run.text} entities={run.onnx.entities} provider={run.onnx.provider} />
        </>
      )}
    </section>
  );
}
