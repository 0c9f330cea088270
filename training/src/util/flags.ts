/** Parsers for numeric CLI flags: a bad value names the flag and what was expected. */
import { FinerError } from './errors.ts';

export const int = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new FinerError(`${flag} ${JSON.stringify(v)}: expected a non-negative integer`);
  return n;
};

/** A count that must be at least 1 (`--batch-size 0` would reach the model as an empty batch). */
export const positiveInt = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new FinerError(`${flag} ${JSON.stringify(v)}: expected a positive integer`);
  return n;
};

export const num = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new FinerError(`${flag} ${JSON.stringify(v)}: expected a non-negative number`);
  return n;
};

export const oneOf = <T extends string>(flag: string, choices: readonly T[]) => (v: string): T => {
  if (!(choices as readonly string[]).includes(v)) throw new FinerError(`${flag} ${JSON.stringify(v)}: expected ${choices.join(' or ')}`);
  return v as T;
};
