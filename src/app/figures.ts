/**
 * How the dashboard writes a report's figures: rates that never round to a
 * claim the counts deny, speeds in the right direction, XBRL names that wrap
 * only between their words, chart ticks on the steps that were measured.
 */

/**
 * `same` of `total` as a percentage with `digits` decimals, rounded but never
 * to 100 while some differ nor to 0 while some agree: 51,637 of 51,639 is
 * "99.99", not "100.00".
 */
export function sharePercent(same: number, total: number, digits = 2): string {
  if (total <= 0) return (0).toFixed(digits);
  const step = 10 ** -digits;
  let pct = Number(((100 * same) / total).toFixed(digits));
  if (same < total) pct = Math.min(pct, 100 - step);
  if (same > 0) pct = Math.max(pct, step);
  return pct.toFixed(digits);
}

/**
 * A path's speed against the fastest one: `ratio` is the fastest's speed over
 * this path's (compare.json's `fastest.speedup`), so 1.09 is "1.09× slower".
 */
export function speedAgainstFastest(isFastest: boolean, ratio: number | undefined): string {
  if (isFastest) return 'fastest';
  if (ratio === undefined || !Number.isFinite(ratio)) return '–';
  return ratio.toFixed(2) === '1.00' ? 'as fast (within 0.5%)' : `${ratio.toFixed(2)}× slower`;
}

/** An XBRL name cut where a line may break: before each capital that starts a word (`DebtInstrument`, `B-Debt…`, `ShortTermDebt`). */
export function camelParts(name: string): string[] {
  return name.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[-_:])/).filter((p) => p !== '');
}

/**
 * The x-axis ticks of a chart of evaluations: the steps evaluated, thinned to
 * at most `max` (first and last kept) when there are many.
 */
export function evaluationTicks(steps: readonly number[], max = 12): number[] {
  if (steps.length <= max) return [...steps];
  const every = Math.ceil((steps.length - 1) / (max - 1));
  const ticks = steps.filter((_, i) => i % every === 0);
  if (ticks.at(-1) !== steps.at(-1)) ticks[ticks.length - 1] = steps.at(-1)!;
  return ticks;
}
