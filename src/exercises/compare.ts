/**
 * How a reader's answer is compared with the engine's: one stage (μ, σ², x̂, y, dx…) at a time,
 * by the relative error
 *
 *   relError = max_i |expected[i] − got[i]| / max(max_i |expected[i]|, 1e-12)
 *
 * (the largest difference measured against the stage's own scale, so an x̂ element near 0 does
 * not blow it up the way CS231n's per-element |x − y| / (|x| + |y|) does). Where a stage is a
 * small difference of large terms (BN's dx for a batch of 2 nearly cancels to 0), the scale is
 * the size of those terms, since float32 cannot resolve the difference any better. The engine computes in
 * float32, the reader's JavaScript in float64: a correct answer lands near 1e-7, so a stage passes
 * below `passThreshold` = 1e-5. A failing stage names its first element whose difference is over
 * the threshold (index, expected, got), and a `diagnose` callback may add the likely cause.
 */

const passThreshold = 1e-5;

export interface WrongElement {
  /** Row-major position, e.g. [3, 1] for x[3][1], or [7] for a flat tensor. */
  index: number[];
  expected: number;
  got: number;
}

export interface StageResult {
  /** The case this stage was checked on, e.g. "batch of 2". */
  case: string;
  stage: string;
  pass: boolean;
  relError: number;
  firstWrong: WrongElement | null;
  /** What went wrong, in words: a shape mismatch, a non-number, or a diagnosis of the likely mistake. */
  message: string;
}

/** A nested array of numbers (a scalar, a vector, a matrix) as the reader's code returns it. */
export type Nested = number | Nested[];

/** Flattens a value the reader returned into numbers plus its shape; throws with what was received. */
export function flatten(value: unknown, what: string): { data: number[]; shape: number[] } {
  if (typeof value === 'number') return { data: [value], shape: [] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const data = Array.from(value as unknown as ArrayLike<number>, Number);
    return { data, shape: [data.length] };
  }
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected a number or an array of numbers, received ${describeValue(value)}`);
  if (value.length === 0) return { data: [], shape: [0] };
  const parts = value.map((v, i) => flatten(v, `${what}[${i}]`));
  const inner = parts[0].shape;
  parts.forEach((p, i) => {
    if (p.shape.join(',') !== inner.join(',')) {
      throw new TypeError(
        `${what}: rows must all have the same shape, but ${what}[0] has shape [${inner.join(', ')}] and ${what}[${i}] has [${p.shape.join(', ')}]`,
      );
    }
  });
  return { data: parts.flatMap((p) => p.data), shape: [value.length, ...inner] };
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `an object with keys {${Object.keys(v).slice(0, 8).join(', ')}}`;
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

function unravel(i: number, shape: number[]): number[] {
  if (shape.length === 0) return [];
  const index: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    index.unshift(i % shape[k]);
    i = Math.floor(i / shape[k]);
  }
  return index;
}

export interface Expected {
  data: ArrayLike<number>;
  shape: number[];
}

/**
 * Compares one stage. `diagnose(gotFlat)` returns a sentence naming the likely mistake (e.g.
 * "σ² divided by N − 1") or null; it is asked only when the stage fails.
 */
export function compareStage(
  caseName: string,
  stage: string,
  expected: Expected,
  gotValue: unknown,
  diagnose?: (got: number[]) => string | null,
  /** The size the error is measured against when the result is a small difference of larger terms (BN's dx at N = 2). */
  termScale = 0,
): StageResult {
  const result = (pass: boolean, relError: number, firstWrong: WrongElement | null, message: string): StageResult => ({
    case: caseName,
    stage,
    pass,
    relError,
    firstWrong,
    message,
  });
  if (gotValue instanceof MissingField) return result(false, Infinity, null, gotValue.message);
  let got: { data: number[]; shape: number[] };
  try {
    got = flatten(gotValue, stage);
  } catch (e) {
    return result(false, Infinity, null, (e as Error).message);
  }
  if (got.data.length !== expected.data.length || (got.shape.length > 0 && got.shape.join(',') !== expected.shape.join(','))) {
    return result(false, Infinity, null, `${stage}: expected shape [${expected.shape.join(', ')}], received [${got.shape.join(', ')}]`);
  }
  let scale = termScale;
  for (let i = 0; i < expected.data.length; i++) scale = Math.max(scale, Math.abs(expected.data[i]));
  scale = Math.max(scale, 1e-12);
  let maxDiff = 0;
  let firstWrong: WrongElement | null = null;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    const g = got.data[i];
    const diff = typeof g === 'number' && Number.isFinite(g) ? Math.abs(e - g) : Infinity;
    if (!(diff <= maxDiff)) maxDiff = diff;
    if (firstWrong === null && !(diff / scale < passThreshold)) firstWrong = { index: unravel(i, expected.shape), expected: e, got: g };
  }
  const relError = maxDiff / scale;
  if (firstWrong === null) return result(true, relError, null, '');
  const where = firstWrong.index.length ? `${stage}[${firstWrong.index.join('][')}]` : stage;
  const first = `first wrong element ${where}: expected ${formatNumber(firstWrong.expected)}, got ${formatNumber(firstWrong.got)}`;
  const cause = diagnose?.(got.data) ?? null;
  return result(false, relError, firstWrong, cause ? `${cause} (${first})` : first);
}

/** True when `got` matches `candidate` to the pass threshold: used by diagnoses. */
export function matches(candidate: ArrayLike<number>, got: number[]): boolean {
  if (candidate.length !== got.length) return false;
  let scale = 1e-12;
  for (let i = 0; i < candidate.length; i++) scale = Math.max(scale, Math.abs(candidate[i]));
  for (let i = 0; i < candidate.length; i++) if (!(Math.abs(candidate[i] - got[i]) / scale < passThreshold)) return false;
  return true;
}

export function formatNumber(v: unknown): string {
  if (typeof v !== 'number') return describeValue(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(7))) : v.toExponential(4);
}

/** A field the reader's returned object lacks; compareStage turns it into a failed stage with its message. */
export class MissingField {
  constructor(readonly message: string) {}
}
