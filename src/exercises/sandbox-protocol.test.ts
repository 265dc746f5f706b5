import { describe, expect, it } from 'vitest';
import { judgeCheck, recordCheck } from './check-cell.ts';
import { exerciseById } from './index.ts';
import { javaScriptOf } from './testing.ts';
import { BadReply, outputCaps, parseSandboxReply, toPlain } from './sandbox-protocol.ts';

describe('parseSandboxReply(data) (untrusted replies from the sandbox)', () => {
  it('caps a million-line log to the first lines and says how many were cut', () => {
    const r = parseSandboxReply({
      type: 'ran',
      logs: Array.from({ length: 1_000_000 }, (_, i) => `line ${i}`),
      value: 'v'.repeat(5_000_000),
    });
    expect(r.type).toBe('ran');
    if (r.type !== 'ran') return;
    expect(r.cut).toBe(true);
    expect(r.logs).toHaveLength(outputCaps.logLines + 1);
    expect(r.logs.at(-1)).toBe('… (output cut: 999,800 more lines not shown)');
    expect(r.value!.length).toBeLessThan(outputCaps.valueChars + 100);
  });

  it('has no shape for a verdict: a forged "checked / pass" reply is refused', () => {
    expect(() => parseSandboxReply({ id: 1, type: 'checked', stages: [], pass: true })).toThrow(BadReply);
    expect(() => parseSandboxReply({ id: 1, type: 'checked', stages: [], pass: true })).toThrow(/received checked/);
  });

  it("accepts recorded calls only of the exercise's functions, as plain data", () => {
    expect(() => parseSandboxReply({ type: 'outputs', defined: [], calls: [{ name: 'other', value: 1 }] }, ['batchNormForward'])).toThrow(
      /not a call of one of the exercise's functions/,
    );
    const r = parseSandboxReply(
      {
        type: 'outputs',
        defined: ['batchNormForward', 'x'],
        calls: [{ name: 'batchNormForward', threw: null, value: { y: [[1, 2]] }, argsAfter: [] }],
      },
      ['batchNormForward'],
    );
    expect(r).toMatchObject({
      type: 'outputs',
      defined: ['batchNormForward'],
      calls: [{ name: 'batchNormForward', value: { y: [[1, 2]] } }],
    });
  });
});

describe('toPlain(value)', () => {
  it('keeps numbers, arrays and plain objects; describes functions and class instances; refuses outputs over the numbers cap', () => {
    expect(toPlain({ a: [1, Float32Array.of(2)], f: () => 1, d: new Date(0) })).toEqual({
      a: [1, [2]],
      f: '[function]',
      d: '[an object of class Date]',
    });
    expect(() => toPlain(new Array(outputCaps.numbers + 1).fill(0))).toThrow(/over the limit/);
  });
});

describe('judgeCheck(exercise, outputs) (the verdict from recorded outputs only)', () => {
  it('fails wrong outputs whatever the sandbox concluded, and fails calls that were never recorded', () => {
    const exercise = exerciseById('bn-forward');
    const recorded = recordCheck(exercise, javaScriptOf(exercise.solution));
    expect(judgeCheck(exercise, structuredClone(recorded)).pass).toBe(true);
    const forged = structuredClone(recorded);
    forged.calls[0].value = { mu: [0], variance: [0], xhat: [[0]], y: [[0]] };
    expect(judgeCheck(exercise, forged).pass).toBe(false);
    const none = judgeCheck(exercise, { defined: ['batchNormForward'], calls: [] });
    expect(none.pass).toBe(false);
    expect(none.stages[0].message).toMatch(/no output was received for this call/);
  });
});
