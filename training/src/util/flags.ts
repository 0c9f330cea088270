/** Parsers for numeric CLI flags: a bad value names the flag and what was expected. */
import { FinerError } from './errors.ts';

/** The kinds of number a flag or a config field holds: what a value must be, and how the error says it. */
export const NUMBER_KINDS = {
  int: { test: (n: number) => Number.isInteger(n) && n >= 0, expected: 'a non-negative integer' },
  /** A count that must be at least 1 (`--batch-size 0` would reach the model as an empty batch). */
  positiveInt: { test: (n: number) => Number.isInteger(n) && n >= 1, expected: 'a positive integer' },
  num: { test: (n: number) => Number.isFinite(n) && n >= 0, expected: 'a non-negative number' },
} as const;

export type NumberKind = keyof typeof NUMBER_KINDS;

/** The parser of a flag holding a number of this kind. */
export const numberFlag = (kind: NumberKind, flag: string) => (v: string): number => {
  const n = Number(v);
  if (!NUMBER_KINDS[kind].test(n)) throw new FinerError(`${flag} ${JSON.stringify(v)}: expected ${NUMBER_KINDS[kind].expected}`);
  return n;
};

export const int = (flag: string) => numberFlag('int', flag);
export const positiveInt = (flag: string) => numberFlag('positiveInt', flag);
export const num = (flag: string) => numberFlag('num', flag);

export const oneOf = <T extends string>(flag: string, choices: readonly T[]) => (v: string): T => {
  if (!(choices as readonly string[]).includes(v)) throw new FinerError(`${flag} ${JSON.stringify(v)}: expected ${choices.join(' or ')}`);
  return v as T;
};
