/**
 * The four target XBRL tags of finer-lens, as the app shows them: display
 * name and colour slot (CSS classes `tag-1`..`tag-4`, see styles.css). The
 * order is the 4-entity dataset's (new ids 1..4, docs/architecture.md).
 */
import { SUBSET_LABELS } from '../ner/labels.ts';

export interface TargetTag {
  /** XBRL tag without prefix, e.g. `DebtInstrumentFaceAmount`. */
  tag: string;
  /** What the analyst reads. */
  displayName: string;
  /** 1..4: the subset id, also the colour slot. */
  id: number;
}

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  DebtInstrumentInterestRateStatedPercentage: 'Interest rate',
  LineOfCreditFacilityMaximumBorrowingCapacity: 'Credit line max',
  DebtInstrumentBasisSpreadOnVariableRate1: 'Spread over variable rate',
  DebtInstrumentFaceAmount: 'Face amount',
};

export const TARGET_TAGS: readonly TargetTag[] = Object.freeze(
  SUBSET_LABELS.slice(1).map((label, i) => {
    const tag = label.slice(2);
    const displayName = DISPLAY_NAMES[tag];
    if (displayName === undefined) throw new Error(`no display name for target tag ${tag}`);
    return { tag, displayName, id: i + 1 };
  }),
);

const BY_TAG: ReadonlyMap<string, TargetTag> = new Map(TARGET_TAGS.map((t) => [t.tag, t]));

/** The target tag of an XBRL tag name (no prefix), or undefined for the other 135. */
export function targetTag(tag: string): TargetTag | undefined {
  return BY_TAG.get(tag);
}

/** `B-DebtInstrumentFaceAmount` -> `DebtInstrumentFaceAmount`; `O` stays `O`. */
export function tagOfLabel(label: string): string {
  return label.startsWith('B-') || label.startsWith('I-') ? label.slice(2) : label;
}

/** Display name of a label or tag: a target's short name, else the tag itself. */
export function displayNameOf(labelOrTag: string): string {
  const tag = tagOfLabel(labelOrTag);
  if (tag === 'O') return 'O (no entity)';
  return BY_TAG.get(tag)?.displayName ?? tag;
}
