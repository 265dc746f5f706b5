import { describe, expect, test } from 'vitest';
import { decideDropoutOverfit } from './dropout-overfit';
import { accRun } from './testing';

describe('dropout-overfit: decideDropoutOverfit', () => {
  test('decideDropoutOverfit: holds when dropout narrows the gap by a point and raises validation accuracy by half a point', () => {
    const v = decideDropoutOverfit([accRun('none', 0.9267, 1, 0.314), accRun('dropout', 0.933, 0.988, 0.261)]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('no dropout: training 100.0 %, validation 92.67 % (gap 7.3 points)');
    expect(v.reason).toContain('dropout 0.5: training 98.8 %, validation 93.30 % (gap 5.5 points), validation loss 0.261');
    expect(v.reason).toContain('+0.63 points');
  });

  test('decideDropoutOverfit: holds only when the gap is read if validation accuracy moves by less than half a point; else does not hold', () => {
    const gapOnly = decideDropoutOverfit([accRun('none', 0.9267, 1), accRun('dropout', 0.9303, 0.9885)]);
    expect(gapOnly.outcome).toBe('holds only when');
    expect(gapOnly.condition).toContain('the gap is what you read');
    expect(gapOnly.reason).toContain('+0.36 points');
    expect(decideDropoutOverfit([accRun('none', 0.92, 1), accRun('dropout', 0.922, 0.995)]).outcome).toBe('does not hold here');
    expect(decideDropoutOverfit([accRun('none', 0.92, 1), { ...accRun('dropout', 0.1, 0.1), diverged: true }]).reason).toContain(
      'diverged',
    );
    expect(decideDropoutOverfit([accRun('none', 0.92, 1)]).reason).toContain('missing');
  });
});
