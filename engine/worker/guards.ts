/**
 * Shape checks for data that crosses the worker boundary as `unknown`. Each throws a
 * ProtocolError naming the path of the field, what it received and what it expected, so a
 * malformed message is rejected where it arrives instead of failing deep inside a run.
 */
import { describe } from '../validate.ts';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export type Fields = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  const received = ArrayBuffer.isView(value) ? `${value.constructor.name}(${(value as Uint8Array).length})` : describe(value);
  throw new ProtocolError(`${path}: expected ${expected}, received ${received.length > 80 ? `${received.slice(0, 77)}...` : received}`);
}

export function object(value: unknown, path: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) fail(path, 'an object', value);
  return value as Fields;
}

export function string(o: Fields, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) fail(`${path}.${key}`, 'a non-empty string', v);
  return v;
}

export function number(o: Fields, key: string, path: string, opts: { min?: number; integer?: boolean; nullable?: false } = {}): number {
  const v = o[key];
  const ok = typeof v === 'number' && !Number.isNaN(v) && (!opts.integer || Number.isInteger(v)) && (opts.min === undefined || v >= opts.min);
  if (!ok) fail(`${path}.${key}`, `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}`, v);
  return v as number;
}

/** A metric value: any number including NaN/±Infinity (a diverged loss is reported as it was). */
export function metric(o: Fields, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number') fail(`${path}.${key}`, 'a number', v);
  return v;
}

export function nullable<T>(o: Fields, key: string, read: (o: Fields, key: string, path: string) => T, path: string): T | null {
  return o[key] === null ? null : read(o, key, path);
}

export function boolean(o: Fields, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'true or false', v);
  return v;
}

export function oneOf<T extends string>(o: Fields, key: string, allowed: readonly T[], path: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`${path}.${key}`, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v);
  return v as T;
}

export function array(o: Fields, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'an array', v);
  return v;
}

export function float32(o: Fields, key: string, path: string): Float32Array {
  const v = o[key];
  if (!(v instanceof Float32Array)) fail(`${path}.${key}`, 'a Float32Array', v);
  return v;
}

export function uint32(o: Fields, key: string, path: string): Uint32Array {
  const v = o[key];
  if (!(v instanceof Uint32Array)) fail(`${path}.${key}`, 'a Uint32Array', v);
  return v;
}

export function evaluation(o: Fields, key: string, path: string): { loss: number; accuracy: number } {
  const e = object(o[key], `${path}.${key}`);
  return { loss: metric(e, 'loss', `${path}.${key}`), accuracy: metric(e, 'accuracy', `${path}.${key}`) };
}
