/**
 * Shapes declared once: small schema combinators from which both a type and its parser come.
 *
 *   const Point = object({ x: number(), label: optional(string()) });
 *   type Point = Infer<typeof Point>;          // { x: number; label?: string }
 *   const p = Point.parse(untrusted, 'point');  // typed, or throws SchemaError
 *
 * A failed parse throws a SchemaError naming the path of the bad field, what it received and
 * what it expected (`point.x: expected a number, received 'three'`). Objects keep only their
 * declared keys (unknown keys are dropped, or rejected with `{ strict: true }`). Parse where data
 * crosses a trust boundary (messages from another realm, IndexedDB, URLs, files); data made by our
 * own code is typed, not re-parsed. No DOM, no Node: the engine, the worker and the page share it.
 */
import { describe } from './validate.ts';

export class SchemaError extends Error {
  override name = 'SchemaError';
  constructor(
    /** Where the bad value sits, e.g. `message.samples[2]`. */
    readonly path: string,
    readonly expected: string,
    received: string,
  ) {
    super(`${path}: expected ${expected}, received ${received}`);
  }
}

export interface Schema<T> {
  /** What a valid value is, in words ("an integer in [1, 10000]"), for error messages. */
  readonly expected: string;
  /** The value typed, or a SchemaError; `path` names the value in the error (default 'value'). */
  parse(value: unknown, path?: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Echo of a received value: short, and a typed array by its kind and length. */
function received(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length})`;
  return describe(value);
}

function fail(path: string, expected: string, value: unknown): never {
  throw new SchemaError(path, expected, received(value));
}

function schema<T>(expected: string, parse: (value: unknown, path: string) => T): Schema<T> {
  return { expected, parse: (value, path = 'value') => parse(value, path) };
}

export interface NumberOptions {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Accept NaN (a diverged loss is reported as it was); ±Infinity pass unless a bound excludes them. */
  nan?: boolean;
}

function numberExpected({ integer, min, max }: NumberOptions): string {
  const kind = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} in [${min}, ${max}]`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

export function number(options: NumberOptions = {}): Schema<number> {
  const expected = numberExpected(options);
  const { integer = false, min, max, nan = false } = options;
  return schema(expected, (v, path) => {
    if (typeof v !== 'number') return fail(path, expected, v);
    if (Number.isNaN(v)) return nan ? v : fail(path, expected, v);
    if ((integer && !Number.isInteger(v)) || (min !== undefined && v < min) || (max !== undefined && v > max))
      return fail(path, expected, v);
    return v;
  });
}

export function string(options: { minLength?: number; maxLength?: number } = {}): Schema<string> {
  const { minLength = 0, maxLength = Infinity } = options;
  const expected =
    maxLength < Infinity
      ? `a string of ${minLength}–${maxLength} characters`
      : minLength > 0
        ? `a string of at least ${minLength} character${minLength === 1 ? '' : 's'}`
        : 'a string';
  return schema(expected, (v, path) =>
    typeof v === 'string' && v.length >= minLength && v.length <= maxLength ? v : fail(path, expected, v),
  );
}

export function boolean(): Schema<boolean> {
  return schema('true or false', (v, path) => (typeof v === 'boolean' ? v : fail(path, 'true or false', v)));
}

export type Primitive = string | number | boolean | null;

export interface LiteralSchema<T extends Primitive> extends Schema<T> {
  readonly value: T;
}

export function literal<const T extends Primitive>(value: T): LiteralSchema<T> {
  const expected = typeof value === 'string' ? `'${value}'` : String(value);
  return { ...schema(expected, (v, path) => (v === value ? value : fail(path, expected, v))), value };
}

/** One of a list of strings: `oneOf(['adam', 'sgd'])`. */
export function oneOf<const T extends string>(values: readonly T[]): Schema<T> & { readonly values: readonly T[] } {
  const expected = `one of ${values.map((a) => `'${a}'`).join(', ')}`;
  const allowed: readonly string[] = values;
  return { ...schema(expected, (v, path) => (typeof v === 'string' && allowed.includes(v) ? (v as T) : fail(path, expected, v))), values };
}

/** The first alternative that parses; the error lists what each expected. */
export function union<const S extends readonly Schema<unknown>[]>(...alternatives: S): Schema<Infer<S[number]>> {
  const expected = alternatives.map((a) => a.expected).join(' or ');
  return schema(expected, (v, path) => {
    for (const a of alternatives) {
      try {
        return a.parse(v, path) as Infer<S[number]>;
      } catch (e) {
        if (!(e instanceof SchemaError)) throw e;
      }
    }
    return fail(path, expected, v);
  });
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  const expected = `${inner.expected} or null`;
  return schema(expected, (v, path) => {
    if (v === null) return null;
    try {
      return inner.parse(v, path);
    } catch (e) {
      // The value itself is wrong (not a field inside it): say that null would do too.
      if (e instanceof SchemaError && e.path === path) fail(path, expected, v);
      throw e;
    }
  });
}

/** A key that may be absent (or undefined) in an object. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return { ...schema(`${inner.expected} or nothing`, (v, path) => (v === undefined ? undefined : inner.parse(v, path))), optional: true };
}

/** `inner`, with `fallback` when the value is absent (the key is then required in the type). */
export function withDefault<T>(inner: Schema<T>, fallback: T): Schema<T> {
  return schema(inner.expected, (v, path) => (v === undefined ? fallback : inner.parse(v, path)));
}

export function array<T>(item: Schema<T>, options: { minLength?: number; maxLength?: number } = {}): Schema<T[]> {
  const { minLength = 0, maxLength = Infinity } = options;
  const count =
    maxLength < Infinity
      ? ` of ${minLength}–${maxLength} items`
      : minLength > 0
        ? ` of at least ${minLength} item${minLength === 1 ? '' : 's'}`
        : '';
  const expected = `a list${count}, each ${item.expected}`;
  return schema(expected, (v, path) => {
    if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) return fail(path, expected, v);
    return v.map((x, i) => item.parse(x, `${path}[${i}]`));
  });
}

/** An object used as a map from string keys to values of one shape. */
export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  const expected = `an object of ${value.expected}`;
  return schema(expected, (v, path) => {
    if (!isPlainObject(v)) return fail(path, expected, v);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[k] = value.parse(x, `${path}.${k}`);
    return out;
  });
}

export type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type InferShape<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

export interface ObjectSchema<S extends Shape> extends Schema<InferShape<S>> {
  readonly shape: S;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** An object with these keys. Unknown keys are dropped, or rejected when `strict`. */
export function object<const S extends Shape>(shape: S, options: { strict?: boolean } = {}): ObjectSchema<S> {
  const keys = Object.keys(shape);
  const parse = (v: unknown, path: string): InferShape<S> => {
    if (!isPlainObject(v)) return fail(path, 'an object', v);
    if (options.strict) {
      const unknown = Object.keys(v).find((k) => !Object.hasOwn(shape, k));
      if (unknown !== undefined) fail(`${path}.${unknown}`, `no such field (expected only ${keys.join(', ')})`, v[unknown]);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const value = shape[k].parse(v[k], `${path}.${k}`);
      if (value !== undefined) out[k] = value;
    }
    return out as InferShape<S>;
  };
  return { ...schema('an object', parse), shape };
}

type Tagged<K extends string> = ObjectSchema<Shape & { [P in K]: LiteralSchema<string> }>;

/**
 * A union of objects told apart by one literal field (`type`): the tag is checked first, so an
 * error names the variant's own bad field instead of every alternative.
 */
export function discriminated<K extends string, const V extends readonly Tagged<K>[]>(
  key: K,
  variants: V,
): Schema<Infer<V[number]>> & { readonly variants: V } {
  const byTag = new Map<string, Tagged<K>>(variants.map((s) => [s.shape[key].value, s]));
  const tags = oneOf([...byTag.keys()]);
  const parse = (v: unknown, path: string) => {
    if (!isPlainObject(v)) return fail(path, `an object with ${key} ${tags.expected}`, v);
    const variant = byTag.get(tags.parse(v[key], `${path}.${key}`))!;
    return variant.parse(v, path) as Infer<V[number]>;
  };
  return { ...schema(`an object with ${key} ${tags.expected}`, parse), variants };
}

/** A value of a class (a typed array that crossed postMessage): `instance(Float32Array)`. */
export function instance<T>(ctor: abstract new (...args: never[]) => T): Schema<T> {
  const expected = `a ${ctor.name}`;
  return schema(expected, (v, path) => (v instanceof ctor ? v : fail(path, expected, v)));
}

/**
 * `inner` with one more rule: `check` returns null when the value is fine, or what was expected
 * ("strictly ascending") when it is not.
 */
export function refine<T>(inner: Schema<T>, check: (value: T) => string | null): Schema<T> {
  return schema(inner.expected, (v, path) => {
    const value = inner.parse(v, path);
    const problem = check(value);
    return problem === null ? value : fail(path, problem, v);
  });
}

/**
 * A value read by an existing parser that throws its own errors (such as `parseTrainConfig`):
 * its message is kept, prefixed by the path, as a SchemaError.
 */
export function custom<T>(expected: string, read: (value: unknown) => T): Schema<T> {
  return schema(expected, (v, path) => {
    try {
      return read(v);
    } catch (e) {
      if (e instanceof SchemaError) throw e;
      const error = new SchemaError(path, expected, received(v));
      error.message = `${path}: ${e instanceof Error ? e.message : String(e)}`;
      throw error;
    }
  });
}
