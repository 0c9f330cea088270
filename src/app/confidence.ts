/**
 * What the Tag text screen shows of a run's entities: the backends' `tag()`
 * returns every entity with its score and the context check's verdict, and
 * the screen keeps those at or above their type's threshold, that pass the
 * context check while it is on, and of a type not hidden in the legend.
 *
 * The confidence control is an offset on the model's per-type thresholds
 * (thresholds.json): at 0 each type keeps its own threshold, which is exactly
 * what the backends dropped before (`applyThresholds` then `toEntities`), and
 * moving it makes every type stricter or looser by the same amount, so the
 * fitted differences between the types stay. A type without a threshold
 * starts at 0 (every entity kept, as without thresholds.json).
 */
import type { Entity } from '@finer-lens/core/ner/types.ts';
import { DEFINITION_RULE_NAME } from '@finer-lens/core/ner/definitions.ts';
import { passesThreshold, type TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';

/** The control moves each threshold by -0.5 to +0.5. */
export const MAX_OFFSET = 0.5;

/**
 * Each type's threshold moved by `offset`, clamped to 0..1; `base` itself at
 * offset 0 (or undefined when it is undefined): the model's own thresholds.
 */
export function offsetThresholds(base: TypeThresholds | undefined, types: readonly string[], offset: number): TypeThresholds | undefined {
  if (offset === 0) return base;
  const moved: TypeThresholds = {};
  for (const type of types) moved[type] = Math.round(Math.min(1, Math.max(0, (base?.[type] ?? 0) + offset)) * 1e6) / 1e6;
  return moved;
}

/** Whether an entity passes its type's threshold (its score is the mean of its words', as `applyThresholds` cuts). */
export function passes(e: Entity, thresholds: TypeThresholds | undefined): boolean {
  return passesThreshold(e.label, e.score, thresholds);
}

/** Whether the context check refuses an entity: only an entity it judged (`context`) and that failed; one without a verdict passes. */
export function failsContextCheck(e: Entity): boolean {
  return e.context?.passes === false;
}

/**
 * What the context check says of an entity, for its tooltip: nothing without
 * a verdict or when it passes; else why it fails (a rule of the definitions,
 * or its probability). The screen shows such an entity only while the check
 * is off.
 */
export function contextNote(e: Entity): string {
  const c = e.context;
  if (!c || c.passes) return '';
  return c.ruledOut ? `the context check: ${DEFINITION_RULE_NAME[c.ruledOut]}` : `the context check: ${c.probability.toFixed(2)} in this context`;
}

export interface ShownEntities {
  /** The entities shown, in text order. */
  shown: Entity[];
  /** Left out for a score below their type's threshold. */
  belowThreshold: number;
  /** Left out by the context check (passing the threshold); 0 while the check is off. */
  failedCheck: number;
  /** Left out for their type being hidden (passing the threshold and, while it is on, the check). */
  ofHiddenTypes: number;
}

/**
 * The entities shown with these thresholds, the context check on or off
 * (`contextCheck`) and these hidden types, and how many each leaves out. Each
 * entity left out is counted once, by the first of: below its threshold, then
 * refused by the check, then of a hidden type; so with the check on the
 * entities shown are those `predict()` keeps (thresholds, then the check),
 * less the hidden types.
 */
export function shownEntities(
  entities: readonly Entity[],
  thresholds: TypeThresholds | undefined,
  hidden: ReadonlySet<string>,
  contextCheck: boolean,
): ShownEntities {
  const shown: Entity[] = [];
  let belowThreshold = 0;
  let failedCheck = 0;
  let ofHiddenTypes = 0;
  for (const e of entities) {
    if (!passes(e, thresholds)) belowThreshold++;
    else if (contextCheck && failsContextCheck(e)) failedCheck++;
    else if (hidden.has(e.label)) ofHiddenTypes++;
    else shown.push(e);
  }
  return { shown, belowThreshold, failedCheck, ofHiddenTypes };
}
