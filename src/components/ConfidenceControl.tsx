import { MAX_OFFSET } from '../app/confidence.ts';
import { TARGET_TAGS } from '@finer-lens/core/ner/tags.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';

interface Props {
  /** Added to each type's threshold: 0 is the model's own (src/app/confidence.ts). */
  offset: number;
  onChange: (offset: number) => void;
  /** The thresholds in effect (undefined: none, every entity kept). */
  thresholds: TypeThresholds | undefined;
  /** Entities of the run, and how many the thresholds leave out. */
  total: number;
  belowThreshold: number;
  /** The model folder's context check (verifier.json), absent when it has none: on or off, and how many entities it hides when on. */
  contextCheck?: ContextCheckControl;
}

export interface ContextCheckControl {
  on: boolean;
  onChange: (on: boolean) => void;
  /** Entities passing the thresholds that the check refuses. */
  hides: number;
}

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(2)}`;

/** The confidence slider: every type's threshold stricter or looser by one amount, with what it hides. */
export function ConfidenceControl({ offset, onChange, thresholds, total, belowThreshold, contextCheck }: Props) {
  const hides = `${belowThreshold.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} entit${total === 1 ? 'y' : 'ies'} hidden below the thresholds`;
  const perType = TARGET_TAGS.map((t) => {
    const value = thresholds?.[t.tag];
    return `${t.displayName} ${value === undefined ? 'all' : `≥ ${value.toFixed(2)}`}`;
  }).join(', ');
  return (
    <div className="confidence">
      <label htmlFor="confidence">Confidence</label>
      <input
        id="confidence"
        type="range"
        min={-MAX_OFFSET * 100}
        max={MAX_OFFSET * 100}
        step={1}
        value={Math.round(offset * 100)}
        aria-valuetext={`${offset === 0 ? "the model's thresholds" : `${signed(offset)} on the model's thresholds`}: ${hides}`}
        aria-describedby="confidence-help"
        onChange={(e) => onChange(Number(e.target.value) / 100)}
      />
      <output htmlFor="confidence" className="confidence-offset">
        {offset === 0 ? "model's thresholds" : signed(offset)}
      </output>
      <button type="button" onClick={() => onChange(0)} disabled={offset === 0}>
        Reset
      </button>
      <p id="confidence-help" className="hint confidence-help">
        <strong data-testid="hidden-count">{hides}</strong>. Each type's score threshold, moved together: {perType}.
      </p>
      {contextCheck && <ContextCheck {...contextCheck} />}
    </div>
  );
}

const WHAT_IT_HIDES = 'numbers outside debt terms, such as margins, page numbers and addresses; covenant ratios, rate changes and rate floors';

/** The context check's checkbox, with how many entities it hides (or, while off, would hide). */
function ContextCheck({ on, onChange, hides }: ContextCheckControl) {
  const count = `${hides.toLocaleString('en-US')} entit${hides === 1 ? 'y' : 'ies'}`;
  return (
    <div className="context-check">
      <input id="context-check" type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked)} aria-describedby="context-check-help" />
      <label htmlFor="context-check">Context check</label>
      <p id="context-check-help" className="hint context-check-help">
        {on ? (
          <>
            <strong data-testid="context-hidden-count">{count} hidden by the context check</strong> ({WHAT_IT_HIDES}).
          </>
        ) : (
          <>
            Off: the <strong data-testid="context-hidden-count">{count} it would hide</strong> {hides === 1 ? 'is' : 'are'} shown ({WHAT_IT_HIDES}).
          </>
        )}
      </p>
    </div>
  );
}
