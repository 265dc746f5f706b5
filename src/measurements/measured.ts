/**
 * What produced a measured number, and how the lessons print one. Every number carries its
 * implementation; a comparison between two numbers from different implementations throws, so a
 * lesson cannot set the engine's TypeScript-kernel mean beside its WebAssembly one (issue 20).
 */

/** The engine with its WebAssembly kernels (what the pages run), with its TypeScript reference kernels, or the independent PyTorch implementation. */
export type Implementation = 'engine-wasm' | 'engine-ts' | 'reference';

/** A fraction (0.9754) measured by one implementation. */
export interface Measured {
  value: number;
  by: Implementation;
}

export const measured = (value: number, by: Implementation): Measured => ({ value, by });

/** Mean of measurements from one implementation; mixing implementations throws. */
export function mean(xs: readonly Measured[]): Measured {
  if (xs.length === 0) throw new RangeError('mean: expected at least one measurement, received none');
  const by = sameImplementation('mean', xs);
  return { value: xs.reduce((s, x) => s + x.value, 0) / xs.length, by };
}

/** Largest minus smallest, of measurements from one implementation. */
export function spread(xs: readonly Measured[]): Measured {
  const by = sameImplementation('spread', xs);
  const values = xs.map((x) => x.value);
  return { value: Math.max(...values) - Math.min(...values), by };
}

/** a − b, only when one implementation measured both. */
export function difference(a: Measured, b: Measured): Measured {
  return { value: a.value - b.value, by: sameImplementation('difference', [a, b]) };
}

function sameImplementation(what: string, xs: readonly Measured[]): Implementation {
  const kinds = [...new Set(xs.map((x) => x.by))];
  if (kinds.length !== 1) throw new Error(`${what}: every measurement must come from one implementation, received ${kinds.join(' and ')}`);
  return kinds[0];
}

/** A fraction as the lessons print a percentage: 0.97537 → "97.54 %". */
export const pct = (x: Measured | number, digits = 2): string => `${(100 * (typeof x === 'number' ? x : x.value)).toFixed(digits)} %`;

/** A fraction as a percentage without the unit, for lists such as "97.37, 97.73 and 97.51 %". */
export const pctNumber = (x: Measured | number, digits = 2): string => (100 * (typeof x === 'number' ? x : x.value)).toFixed(digits);

/** A fraction's difference in percentage points, without unit: 0.0008 → "0.08". */
export const points = (x: Measured | number, digits = 2): string => (100 * Math.abs(typeof x === 'number' ? x : x.value)).toFixed(digits);

/** A loss or other plain number to `digits` decimals. */
export const fixed = (x: Measured | number, digits: number): string => (typeof x === 'number' ? x : x.value).toFixed(digits);
