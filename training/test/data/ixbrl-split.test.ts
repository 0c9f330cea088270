import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignSplits, parseSplit, splitSizes } from '../../src/data/ixbrl/split.ts';
import { FinerError } from '../../src/util/errors.ts';

describe('parseSplit', () => {
  it('reads train/validation/test shares', () => {
    expect(parseSplit('80/10/10')).toEqual([80, 10, 10]);
    expect(parseSplit('70/30/0')).toEqual([70, 30, 0]);
    expect(parseSplit('0.8/0.1/0.1')).toEqual([0.8, 0.1, 0.1]);
  });

  it('rejects anything else with a FinerError naming the option', () => {
    for (const bad of ['80/20', '80/10/10/0', 'a/b/c', '-1/50/51', '0/50/50', '', '80/10/x']) {
      expect(() => parseSplit(bad)).toThrow(FinerError);
      expect(() => parseSplit(bad)).toThrow(/--split .*expected train\/validation\/test/);
    }
  });
});

describe('splitSizes', () => {
  it('cuts by largest remainder and gives every non-zero split a company when it can', () => {
    expect(splitSizes(10, [80, 10, 10])).toEqual([8, 1, 1]);
    expect(splitSizes(523, [80, 10, 10])).toEqual([419, 52, 52]); // 418.4 / 52.3 / 52.3
    expect(splitSizes(3, [80, 10, 10])).toEqual([1, 1, 1]);
    expect(splitSizes(1, [80, 10, 10])).toEqual([1, 0, 0]);
    expect(splitSizes(5, [100, 0, 0])).toEqual([5, 0, 0]);
  });

  it('always adds up to n and stays within one of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 2000 }), fc.tuple(fc.integer({ min: 1, max: 100 }), fc.nat(100), fc.nat(100)), (n, ratios) => {
        const sizes = splitSizes(n, ratios);
        expect(sizes[0] + sizes[1] + sizes[2]).toBe(n);
        const total = ratios[0] + ratios[1] + ratios[2];
        sizes.forEach((s, i) => expect(Math.abs(s - (n * ratios[i]) / total)).toBeLessThan(2));
      }),
    );
  });
});

describe('assignSplits', () => {
  const companies = Array.from({ length: 50 }, (_, i) => `cik:${String(i).padStart(10, '0')}`);

  it('does not depend on the order or repetition of the companies', () => {
    const a = assignSplits(companies, [80, 10, 10], 42);
    const b = assignSplits([...companies].reverse().concat(companies.slice(0, 5)), [80, 10, 10], 42);
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
  });

  it('cuts 80/10/10 of the companies and shuffles with the seed', () => {
    const a = assignSplits(companies, [80, 10, 10], 42);
    const count = (m: Map<string, string>, s: string) => [...m.values()].filter((v) => v === s).length;
    expect(['train', 'validation', 'test'].map((s) => count(a, s))).toEqual([40, 5, 5]);
    const b = assignSplits(companies, [80, 10, 10], 43);
    expect(companies.some((c) => a.get(c) !== b.get(c))).toBe(true);
    // not simply the sorted order cut in three
    expect(companies.slice(0, 40).every((c) => a.get(c) === 'train')).toBe(false);
  });
});
