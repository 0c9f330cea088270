/**
 * The four target XBRL tags of finer-lens, as the app shows them: display
 * name, short label, definition and colour slot (CSS classes `tag-1`..`tag-4`, see styles.css). The
 * order is the 4-entity dataset's (new ids 1..4, docs/architecture.md).
 */
import { SUBSET_LABELS } from './labels.ts';

export interface TargetTag {
  /** XBRL tag without prefix, e.g. `DebtInstrumentFaceAmount`. */
  tag: string;
  /** What the analyst reads. */
  displayName: string;
  /** 1..4: the subset id, also the colour slot. */
  id: number;
  /** Short label shown beside a highlight (displaCy style), e.g. `FACE`. */
  abbreviation: string;
  /** What the type is and is not, in a sentence (../shared/docs/labels.md, shortened). */
  definition: string;
}

type TagText = Pick<TargetTag, 'displayName' | 'abbreviation' | 'definition'>;

const TEXTS: Readonly<Record<string, TagText>> = {
  DebtInstrumentInterestRateStatedPercentage: {
    displayName: 'Interest rate',
    abbreviation: 'RATE',
    definition: 'The contractual (coupon) rate of a debt instrument, as in "5.75% Senior Notes"; not effective, weighted-average or lease rates.',
  },
  LineOfCreditFacilityMaximumBorrowingCapacity: {
    displayName: 'Credit line max',
    abbreviation: 'LINE MAX',
    definition: 'The size of a line of credit or revolving facility (old and new sizes in an amendment); not amounts drawn, outstanding or available.',
  },
  DebtInstrumentBasisSpreadOnVariableRate1: {
    displayName: 'Spread over variable rate',
    abbreviation: 'SPREAD',
    definition: 'Points added to a reference rate, as in "SOFR plus 1.75%"; not operating margins, rate floors or fees.',
  },
  DebtInstrumentFaceAmount: {
    displayName: 'Face amount',
    abbreviation: 'FACE',
    definition: 'The principal of a note, bond, term loan or mortgage as issued; not later balances, repayments, fair or carrying values.',
  },
};

export const TARGET_TAGS: readonly TargetTag[] = Object.freeze(
  SUBSET_LABELS.slice(1).map((label, i) => {
    const tag = label.slice(2);
    const texts = TEXTS[tag];
    if (texts === undefined) throw new Error(`no display name for target tag ${tag}`);
    return { tag, ...texts, id: i + 1 };
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
