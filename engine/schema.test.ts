import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  array,
  boolean,
  custom,
  discriminated,
  instance,
  literal,
  nullable,
  number,
  object,
  oneOf,
  optional,
  record,
  refine,
  SchemaError,
  string,
  union,
  withDefault,
  type Infer,
} from './schema.ts';

describe('schema', () => {
  it('number(options) checks integer and range and names the path, the value received and what was expected', () => {
    expect(number().parse(1.5)).toBe(1.5);
    expect(number({ integer: true, min: 1, max: 10 }).parse(10)).toBe(10);
    expect(() => number({ integer: true, min: 1, max: 10 }).parse(0, 'args.k')).toThrow(
      'args.k: expected an integer in [1, 10], received 0',
    );
    expect(() => number({ integer: true }).parse(1.5)).toThrow('value: expected an integer, received 1.5');
    expect(() => number({ min: 0 }).parse('3', 'x')).toThrow("x: expected a number ≥ 0, received '3'");
    expect(() => number().parse(NaN)).toThrow('expected a number, received NaN');
    expect(number({ nan: true }).parse(NaN)).toBeNaN();
    expect(number().parse(Infinity)).toBe(Infinity);
    expect(() => number({ max: 5 }).parse(Infinity)).toThrow('expected a number ≤ 5, received Infinity');
  });

  it('string, boolean, literal and oneOf accept exactly their values', () => {
    expect(string().parse('')).toBe('');
    expect(() => string({ minLength: 1 }).parse('')).toThrow("expected a string of at least 1 character, received ''");
    expect(() => string({ minLength: 1, maxLength: 3 }).parse('abcd')).toThrow("expected a string of 1–3 characters, received 'abcd'");
    expect(boolean().parse(false)).toBe(false);
    expect(() => boolean().parse(0)).toThrow('expected true or false, received 0');
    expect(literal('ping').parse('ping')).toBe('ping');
    expect(() => literal('ping').parse('pong')).toThrow("expected 'ping', received 'pong'");
    expect(oneOf(['a', 'b']).parse('b')).toBe('b');
    expect(() => oneOf(['a', 'b']).parse('c', 'mode')).toThrow("mode: expected one of 'a', 'b', received 'c'");
  });

  it('object(shape) keeps declared keys, drops unknown ones (rejects them when strict) and infers optional keys', () => {
    const Point = object({ x: number(), label: optional(string()), kind: withDefault(oneOf(['a', 'b']), 'a') });
    type Point = Infer<typeof Point>;
    expectTypeOf<Point>().toEqualTypeOf<{ x: number; label?: string; kind: 'a' | 'b' }>();
    expect(Point.parse({ x: 1, extra: true })).toEqual({ x: 1, kind: 'a' });
    expect(Point.parse({ x: 1, label: 'p', kind: 'b' })).toEqual({ x: 1, label: 'p', kind: 'b' });
    expect(() => Point.parse({ x: 'one' }, 'point')).toThrow("point.x: expected a number, received 'one'");
    expect(() => Point.parse([1], 'point')).toThrow('point: expected an object, received [1]');
    expect(() => Point.parse(null)).toThrow('value: expected an object, received null');
    expect(() => object({ x: number() }, { strict: true }).parse({ x: 1, y: 2 }, 'p')).toThrow(
      'p.y: expected no such field (expected only x), received 2',
    );
  });

  it('array(item) reports the index of the bad item and checks its length', () => {
    const list = array(number({ integer: true }), { minLength: 1, maxLength: 3 });
    expect(list.parse([1, 2])).toEqual([1, 2]);
    expect(() => list.parse([1, 'x'], 'samples')).toThrow("samples[1]: expected an integer, received 'x'");
    expect(() => list.parse([], 'samples')).toThrow('samples: expected a list of 1–3 items, each an integer, received []');
    expect(() => list.parse([1, 2, 3, 4])).toThrow('received [1,2,3,4]');
  });

  it('nullable, union and record', () => {
    expect(nullable(number()).parse(null)).toBeNull();
    expect(() => nullable(number()).parse(undefined, 'v')).toThrow('v: expected a number or null, received undefined');
    expect(() => nullable(object({ a: number() })).parse({ a: 'x' }, 'v')).toThrow("v.a: expected a number, received 'x'");
    const idOrName = union(number({ integer: true }), string({ minLength: 1 }));
    expectTypeOf<Infer<typeof idOrName>>().toEqualTypeOf<number | string>();
    expect(idOrName.parse('a')).toBe('a');
    expect(() => idOrName.parse(true)).toThrow('expected an integer or a string of at least 1 character, received true');
    expect(record(number()).parse({ a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(() => record(number()).parse({ a: 1, b: 'x' }, 'r')).toThrow("r.b: expected a number, received 'x'");
  });

  it('discriminated(key, variants) checks the tag first and then only that variant', () => {
    const Message = discriminated('type', [
      object({ type: literal('ping'), id: number() }),
      object({ type: literal('stop'), runId: string() }),
    ]);
    type Message = Infer<typeof Message>;
    expectTypeOf<Message>().toEqualTypeOf<{ type: 'ping'; id: number } | { type: 'stop'; runId: string }>();
    expect(Message.parse({ type: 'stop', runId: 'r' })).toEqual({ type: 'stop', runId: 'r' });
    expect(() => Message.parse({ type: 'go' }, 'message')).toThrow("message.type: expected one of 'ping', 'stop', received 'go'");
    expect(() => Message.parse({ type: 'ping', id: 'x' }, 'message')).toThrow("message.id: expected a number, received 'x'");
    expect(() => Message.parse(3, 'message')).toThrow("message: expected an object with type one of 'ping', 'stop', received 3");
  });

  it('instance, refine and custom', () => {
    const a = new Float32Array(3);
    expect(instance(Float32Array).parse(a)).toBe(a);
    expect(() => instance(Float32Array).parse(new Uint32Array(2), 'mean')).toThrow(
      'mean: expected a Float32Array, received Uint32Array(2)',
    );
    const ascending = refine(array(number()), (v) => (v.every((x, i) => i === 0 || x > v[i - 1]) ? null : 'a strictly ascending list'));
    expect(() => ascending.parse([1, 1], 'samples')).toThrow('samples: expected a strictly ascending list, received [1,1]');
    const even = custom('an even number', (v) => {
      if (typeof v !== 'number' || v % 2 !== 0) throw new RangeError(`even: must be even, received ${String(v)}`);
      return v;
    });
    expect(even.parse(2)).toBe(2);
    expect(() => even.parse(3, 'n')).toThrow('n: even: must be even, received 3');
    expect(() => even.parse(3)).toThrow(SchemaError);
  });

  it('SchemaError carries the path and what was expected, and clips a long received value', () => {
    const parse = () => object({ a: array(string()) }).parse({ a: ['x', 7] }, 'rec');
    expect(parse).toThrow(SchemaError);
    try {
      parse();
    } catch (e) {
      expect((e as SchemaError).path).toBe('rec.a[1]');
      expect((e as SchemaError).expected).toBe('a string');
    }
    expect(() => number().parse('z'.repeat(1000))).toThrow(
      "expected a number, received 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz… (1000 characters)'",
    );
  });
});
