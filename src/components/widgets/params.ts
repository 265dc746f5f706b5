/**
 * Typed widget settings. A widget declares a schema once; the same schema parses its `data-*`
 * attributes, reads and writes the page URL, and supplies defaults. Parsing never throws on
 * user input: a missing or bad value falls back to the default, so a mangled shared link still
 * gives a working widget. Bad *schemas* (a programming error) throw at definition time.
 */
import { parseDecimal } from '@engine/validate.ts';

export interface Param<T> {
  readonly default: T;
  /** The value, or `undefined` when `raw` is missing or not acceptable. */
  parse(raw: string | null | undefined): T | undefined;
  /** Text for the URL / data attribute; `parse(format(v))` gives `v` back. */
  format(value: T): string;
}

export type Schema = Record<string, Param<unknown>>;
export type StateOf<S extends Schema> = { [K in keyof S]: S[K] extends Param<infer T> ? T : never };

export interface NumberOptions {
  min: number;
  max: number;
  default: number;
  /** Round to whole numbers (batch sizes, seeds). */
  integer?: boolean;
  /**
   * The values the control that shows this setting can take (a slider's grid, see `sliderGrid`):
   * a value off it is refused, not rounded, so a link never applies what the control cannot show.
   * Returns the value to use, or `undefined` to refuse it.
   */
  grid?: (value: number) => number | undefined;
}

/**
 * The values a slider at positions min, min + step, …, max maps to through `fromSlider`: accepts a
 * value within the URL format's precision (6 significant digits) of one of them, so a link the
 * widget wrote reads back; `t=0.0166667` on a 0.05-step slider is refused.
 */
export function sliderGrid(slider: { min: number; max: number; step: number }, fromSlider: (position: number) => number | null = (p) => p) {
  const count = Math.round((slider.max - slider.min) / slider.step);
  if (!(count >= 0 && count <= 100_000)) throw new RangeError(`sliderGrid: expected at most 100,000 positions, received ${count}`);
  const values: number[] = [];
  for (let k = 0; k <= count; k++) {
    const value = fromSlider(Number((slider.min + k * slider.step).toFixed(10)));
    if (value !== null) values.push(value);
  }
  return (value: number): number | undefined =>
    values.some((v) => Math.abs(v - value) <= 5e-6 * Math.abs(v) || v === value) ? value : undefined;
}

export function numberParam(options: NumberOptions): Param<number> {
  const { min, max, integer = false, grid } = options;
  if (!(min <= options.default && options.default <= max)) {
    throw new RangeError(`numberParam: default must be in [${min}, ${max}], received ${options.default}`);
  }
  return {
    default: options.default,
    parse(raw) {
      const value = raw == null ? null : parseDecimal(raw);
      if (value === null || value < min || value > max) return undefined;
      if (integer && !Number.isInteger(value)) return undefined;
      // -0 is a number no control shows: it is 0.
      const plain = value === 0 ? 0 : value;
      return grid ? grid(plain) : plain;
    },
    // Enough digits to round-trip what a reader sees, without float noise like 0.30000000000000004.
    format: (value) => String(Number(value.toPrecision(6))),
  };
}

export function choiceParam<const C extends readonly string[]>(choices: C, fallback: C[number]): Param<C[number]> {
  if (!choices.includes(fallback)) {
    throw new RangeError(`choiceParam: default must be one of ${choices.join(', ')}, received ${fallback}`);
  }
  return {
    default: fallback,
    parse: (raw) => (raw != null && (choices as readonly string[]).includes(raw) ? (raw as C[number]) : undefined),
    format: (value) => value,
  };
}

/** A number a `<select>` offers, nothing else: `batch=33` or `steps=500` in a link is refused, not added. */
export function listParam(values: readonly number[], fallback: number): Param<number> {
  if (!values.includes(fallback)) throw new RangeError(`listParam: default must be one of ${values.join(', ')}, received ${fallback}`);
  return {
    default: fallback,
    parse(raw) {
      const value = raw == null ? null : parseDecimal(raw);
      return value !== null && values.includes(value) ? (value === 0 ? 0 : value) : undefined;
    },
    format: String,
  };
}

export function defaultState<S extends Schema>(schema: S): StateOf<S> {
  const state: Record<string, unknown> = {};
  for (const [key, param] of Object.entries(schema)) state[key] = param.default;
  return state as StateOf<S>;
}

/**
 * Reads each key through `lookup`; keys it cannot supply (or supplies badly) keep `base`'s value.
 * Layers compose: `parseState(schema, url, parseState(schema, dataAttributes))`.
 */
export function parseState<S extends Schema>(
  schema: S,
  lookup: (key: string) => string | null | undefined,
  base: StateOf<S> = defaultState(schema),
): StateOf<S> {
  const state: Record<string, unknown> = { ...base };
  for (const [key, param] of Object.entries(schema)) {
    const value = param.parse(lookup(key));
    if (value !== undefined) state[key] = value;
  }
  return state as StateOf<S>;
}

/** `{ key: text }` for every key, ready for a URL or data attributes. */
export function formatState<S extends Schema>(schema: S, state: StateOf<S>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, param] of Object.entries(schema)) out[key] = param.format(state[key]);
  return out;
}

/**
 * A widget's settings from its Astro props (numbers, strings, booleans as authored in MDX): each
 * read as text through the schema, so a bad prop falls back exactly like a bad URL value.
 */
export function stateFromProps<S extends Schema>(schema: S, props: Record<string, unknown>): StateOf<S> {
  return parseState(schema, (key) => (props[key] === undefined ? undefined : String(props[key])));
}

/** `{ 'data-<key>': text }` for every key: the attributes the custom element reads its settings from. */
export function dataAttributes<S extends Schema>(schema: S, state: StateOf<S>): Record<`data-${string}`, string> {
  return Object.fromEntries(Object.entries(formatState(schema, state)).map(([key, text]) => [`data-${key}`, text]));
}
