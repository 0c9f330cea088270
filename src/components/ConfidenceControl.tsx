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
}

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(2)}`;

/** The confidence slider: every type's threshold stricter or looser by one amount, with what it hides. */
export function ConfidenceControl({ offset, onChange, thresholds, total, belowThreshold }: Props) {
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
    </div>
  );
}
