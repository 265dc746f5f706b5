import { describe, expect, test } from 'vitest';
import { checkChoice, checkNumber, parseNumber, parseTolerance } from './answer-check';

describe('parseNumber', () => {
  test('parseNumber(text) reads the ways people type numbers', () => {
    expect(parseNumber('0.9')).toBe(0.9);
    expect(parseNumber(' 44 ')).toBe(44);
    expect(parseNumber('4.4e1')).toBe(44);
    expect(parseNumber('1,688')).toBe(1688);
    expect(parseNumber('97.5 %')).toBe(97.5);
    expect(parseNumber('\u22123')).toBe(-3);
    expect(parseNumber('.5')).toBe(0.5);
  });

  test('parseNumber(text) refuses what is not one number', () => {
    for (const bad of ['', 'abc', '0,5', '1 2', '0x10', 'Infinity', '1e', '--1', '1e400']) expect(parseNumber(bad)).toBeUndefined();
  });
});

describe('checkNumber', () => {
  test('checkNumber accepts answers within an absolute tolerance and rejects the rest', () => {
    const spec = { answer: 44, tolerance: { abs: 0 } };
    expect(checkNumber('44', spec).kind).toBe('correct');
    expect(checkNumber('43', spec)).toEqual({ kind: 'wrong', message: 'Not quite: 43 is too small.' });
    expect(checkNumber('45', spec).message).toContain('too large');
  });

  test('checkNumber accepts answers within a relative tolerance', () => {
    const spec = { answer: 0.01, tolerance: { rel: 0.05 } };
    expect(checkNumber('0.0104', spec).kind).toBe('correct');
    expect(checkNumber('0.0106', spec).kind).toBe('wrong');
  });

  test('checkNumber says what it received when the text is not a number', () => {
    const verdict = checkNumber('about forty', { answer: 44, tolerance: { abs: 0 } });
    expect(verdict.kind).toBe('unreadable');
    expect(verdict.message).toContain('received "about forty"');
    expect(checkNumber('x'.repeat(10_000), { answer: 1, tolerance: { abs: 0 } }).message.length).toBeLessThan(120);
  });
});

describe('checkChoice and parseTolerance', () => {
  test('checkChoice compares the selected value with the answer', () => {
    expect(checkChoice('b', 'b').kind).toBe('correct');
    expect(checkChoice('a', 'b').kind).toBe('wrong');
    expect(checkChoice(undefined, 'b').kind).toBe('unreadable');
  });

  test('parseTolerance reads absolute and percentage tolerances and rejects others', () => {
    expect(parseTolerance(undefined)).toEqual({ abs: 0 });
    expect(parseTolerance('0.5')).toEqual({ abs: 0.5 });
    expect(parseTolerance('2%')).toEqual({ rel: 0.02 });
    expect(() => parseTolerance('-1')).toThrow('received "-1"');
    expect(() => parseTolerance('lots')).toThrow('received "lots"');
  });
});
