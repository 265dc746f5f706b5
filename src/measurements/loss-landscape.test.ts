import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { landscapeRatio } from '@experiments/claims/loss-landscape';
import { ratioWithoutOverWith } from './loss-landscape';

const lesson = readFileSync(fileURLToPath(new URL('../../content/lessons/12-claims-on-trial.mdx', import.meta.url)), 'utf8');

describe('loss-landscape measurements', () => {
  test('the prediction exercise’s answer is what the stored medians give under the plan’s rule', () => {
    const loss = ratioWithoutOverWith('sigmoid', 'lossRange') >= landscapeRatio;
    const beta = ratioWithoutOverWith('sigmoid', 'smoothness') >= landscapeRatio;
    const expected = loss && beta ? 'both' : beta ? 'beta' : loss ? 'loss' : 'neither';
    expect(/<Exercise id="landscape-predict" answer="(\w+)"/.exec(lesson)?.[1]).toBe(expected);
  });
});
