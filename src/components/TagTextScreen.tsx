import { useEffect, useMemo, useState } from 'react';
import { useAppStore } from '../store.ts';
import { compareEntities } from '../app/agreement.ts';
import { scheduleWarmUp } from '../app/warmUp.ts';
import { offsetThresholds, shownEntities, type ShownEntities } from '../app/confidence.ts';
import { TARGET_TAGS } from '@finer-lens/core/ner/tags.ts';
import type { ProviderInfo, TagResult } from '@finer-lens/core/ner/types.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { BackendSummary } from './BackendSummary.tsx';
import { CompareSummary } from './CompareSummary.tsx';
import { ConfidenceControl } from './ConfidenceControl.tsx';
import { EntityTable } from './EntityTable.tsx';
import { ExamplePicker } from './ExamplePicker.tsx';
import { HighlightedText } from './HighlightedText.tsx';
import { LanguageNotice } from './LanguageNotice.tsx';
import { ModelControls } from './ModelControls.tsx';
import { ModelLoadProgress } from './ModelLoadProgress.tsx';
import { TagLegend } from './TagLegend.tsx';
import { TagProgressBar } from './TagProgressBar.tsx';
import { TextInput } from './TextInput.tsx';
import { useFocusAfterRun } from './useFocusAfterRun.ts';

const TYPES = TARGET_TAGS.map((t) => t.tag);

/** The provider as shown and exported: the thresholds the entities shown passed, and the context check only while it is on. */
function withThresholdsInUse(provider: ProviderInfo, thresholds: TypeThresholds | undefined, contextCheck: boolean): ProviderInfo {
  if (thresholds === provider.thresholds && (contextCheck || !provider.contextCheck)) return provider;
  const { thresholds: _model, contextCheck: check, ...rest } = provider;
  return { ...rest, ...(thresholds ? { thresholds } : {}), ...(contextCheck && check ? { contextCheck: check } : {}) };
}

/** A run's result with only the entities shown. */
function shownResult(
  result: TagResult,
  thresholds: TypeThresholds | undefined,
  hidden: ReadonlySet<string>,
  contextCheck: boolean,
): { result: TagResult; counts: ShownEntities } {
  const counts = shownEntities(result.entities, thresholds, hidden, contextCheck);
  return { result: { ...result, entities: counts.shown, provider: withThresholdsInUse(result.provider, thresholds, contextCheck) }, counts };
}

/** "Tag text" tab: paste 10-K text, tag it with the model in the browser, see and export the entities. */
export function TagTextScreen() {
  const text = useAppStore((s) => s.tagText);
  const run = useAppStore((s) => s.tagRun);
  const cancel = useAppStore((s) => s.cancelTag);
  const warmUp = useAppStore((s) => s.warmUp);
  const busy = run.status === 'running';
  const taggedText = run.status === 'tagged' || run.status === 'compared' ? run.text : undefined;

  // What is shown of the entities: the backends return all of them with their scores (src/app/confidence.ts).
  const [offset, setOffset] = useState(0);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [checkOn, setCheckOn] = useState(true);
  const [showLabels, setShowLabels] = useState(false);
  const [select, setSelect] = useState<{ start: number; seq: number }>();
  const toggleType = (tag: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(tag)) next.add(tag);
      return next;
    });

  const view = useMemo(() => {
    if (run.status !== 'tagged' && run.status !== 'compared') return undefined;
    const main = run.status === 'tagged' ? run.result : run.a;
    const thresholds = offsetThresholds(main.provider.thresholds, TYPES, offset);
    const { result: shown, counts } = shownResult(main, thresholds, hidden, checkOn);
    // The context check, when the model folder has one: how many it hides with it on (also told while it is off).
    const check = main.provider.contextCheck && { hides: checkOn ? counts.failedCheck : shownEntities(main.entities, thresholds, hidden, true).failedCheck };
    if (run.status === 'tagged') return { shown, counts, thresholds, total: main.entities.length, check };
    // Compare: both models' entities through the same thresholds, check and types, then compared.
    const { result: b } = shownResult(run.b, thresholds, hidden, checkOn);
    const agreement = compareEntities(shown.entities, b.entities);
    const keys = new Set(agreement.differences.flatMap((d) => d.a.map((e) => e.start)));
    const differing = new Set(shown.entities.flatMap((e, i) => (keys.has(e.start) ? [i] : [])));
    return { shown, counts, thresholds, total: main.entities.length, check, compare: { b, agreement, differing } };
  }, [run, offset, hidden, checkOn]);

  // While this screen is open and the page idle, the model loads, so the first Tag does not wait for it.
  useEffect(() => scheduleWarmUp(warmUp), [warmUp]);

  // After a run, focus goes to the results, or back on Tag, unless the user has moved it meanwhile.
  const { results, button: tagButton } = useFocusAfterRun(run.status, (status) => status === 'tagged' || status === 'compared');

  const controls = view && (
    <div className="display-controls">
      <ConfidenceControl
        offset={offset}
        onChange={setOffset}
        thresholds={view.thresholds}
        total={view.total}
        belowThreshold={view.counts.belowThreshold}
        contextCheck={view.check && { on: checkOn, onChange: setCheckOn, hides: view.check.hides }}
      />
      <label className="labels-toggle">
        <input type="checkbox" checked={showLabels} onChange={(e) => setShowLabels(e.target.checked)} />
        Show type labels in the text
      </label>
      <TagLegend withOther={false} toggles={{ hidden, onToggle: toggleType }} />
      {view.counts.ofHiddenTypes > 0 && (
        <p className="hint" data-testid="hidden-types-count">
          {view.counts.ofHiddenTypes.toLocaleString('en-US')} more of the types not shown.
        </p>
      )}
    </div>
  );

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
        <ModelControls busy={busy} tagButtonRef={tagButton} />
        <ModelLoadProgress />
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

      {taggedText !== undefined && view && (
        <div className="tag-results" ref={results} tabIndex={-1} role="region" aria-label="Tagging results">
          {view.compare ? (
            <CompareSummary a={view.shown} b={view.compare.b} agreement={view.compare.agreement} />
          ) : (
            <section className="card" aria-label="Model run">
              <BackendSummary result={view.shown} />
            </section>
          )}
          <HighlightedText
            text={taggedText}
            entities={view.shown.entities}
            provider={view.shown.provider}
            differing={view.compare?.differing}
            showLabels={showLabels}
            select={select}
            controls={controls}
          />
          <EntityTable
            text={taggedText}
            entities={view.shown.entities}
            provider={view.shown.provider}
            onSelect={(e) => setSelect((s) => ({ start: e.start, seq: (s?.seq ?? 0) + 1 }))}
          />
        </div>
      )}
    </section>
  );
}
