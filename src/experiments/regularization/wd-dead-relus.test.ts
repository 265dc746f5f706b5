import { describe, expect, test } from 'vitest';
import { deadReluShare, decideDeadRelus } from './wd-dead-relus';
import { frame, layer, run } from './testing';

describe('wd-dead-relus: deadReluShare and decideDeadRelus', () => {
  test('deadReluShare reads the first layer that reports a dead share; frames without one give null', () => {
    expect(deadReluShare(frame([layer({}), layer({ kind: 'Activation', dead: 0.25 }), layer({ kind: 'Activation', dead: 0.5 })]))).toBe(
      0.25,
    );
    expect(deadReluShare(frame([layer({ kind: 'Activation', dead: null })]))).toBeNull();
    expect(deadReluShare(frame([layer({ kind: 'Activation' })]))).toBeNull();
  });

  test('decideDeadRelus: holds with 5 points fewer dead units; otherwise says whether decay left more', () => {
    const fewer = decideDeadRelus([run('adam', 0.5, 0.7), run('l2', 0.5, 0.6)]);
    expect(fewer.outcome).toBe('holds');
    expect(fewer.reason).toContain('Adam 70.0 %');
    const more = decideDeadRelus([run('adam', 0.5, 0.61), run('l2', 0.6, 0.9), run('adamw', 0.6, 0.77)]);
    expect(more.outcome).toBe('does not hold here');
    expect(more.reason).toContain('Adam + L2 0.001 and AdamW 0.1 leave more units dead, not fewer');
    expect(decideDeadRelus([run('adam', 0.5, 0.6), run('l2', 0.5, 0.62)]).reason).toContain('less than 5 points');
    expect(decideDeadRelus([run('adam', 0.5, 0.6), { ...run('l2', 0, 0), trace: [] }]).reason).toContain('no dead-unit share');
  });
});
