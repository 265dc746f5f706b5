/**
 * Option checks that run where a value enters the engine (construction, parsing), never in a
 * hot loop. Each error names the option, the value received and the range expected.
 */

export function checkNumber(
  where: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
  opts: { minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const lo = opts.minOpen ? '(' : '[';
  const hi = opts.maxOpen ? ')' : ']';
  const range = `${lo}${min}, ${max}${hi}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number in ${range}, received ${describe(value)}`);
  }
  const tooLow = opts.minOpen ? value <= min : value < min;
  const tooHigh = opts.maxOpen ? value >= max : value > max;
  if (tooLow || tooHigh) throw new RangeError(`${where}: ${name} must be in ${range}, received ${value}`);
  return value;
}

export function checkInteger(where: string, name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${where}: ${name} must be an integer in [${min}, ${max}], received ${describe(value)}`);
  }
  return value;
}

export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, received ${describe(value)}`);
  }
  return value as T;
}

/** How a received value is echoed in an error: at most `maxEcho` characters, so a 10 MB value gets a short message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${clip(value)}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  try {
    return clip(JSON.stringify(value) ?? String(value));
  } catch {
    return clip(String(value));
  }
}

export const maxEcho = 80;

/** `text` cut to `max` characters with a note of the full length, for echoing untrusted input. */
export function clip(text: string, max = maxEcho): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * A number written in plain decimal (`12`, `-0.5`, `1e-3`, `.5`), or null. `Number()` also takes
 * `0x10`, `0b1`, `' 1e1 '` and `''` (as 0), which no reader means as a setting.
 */
export function parseDecimal(raw: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
