import { describe, expect, test } from 'vitest';
import { createRunRecord, type RunRecord } from '@client/run-record';
import { parseTrainConfig } from '@engine';
import { groupSummary, savedGroups } from './saved-groups';

const record = (id: string, group: string | null, createdAt: number, state: RunRecord['state']): RunRecord => ({
  ...createRunRecord({ id, widget: 'w', group, config: parseTrainConfig({}), now: createdAt }),
  state,
});

describe('savedGroups(records)', () => {
  test('lists every saved group newest first, with finished and planned counts, so an older complete sweep stays reachable', () => {
    const groups = savedGroups([
      record('a', 'w-old-n2', 1, 'finished'),
      record('b', 'w-old-n2', 2, 'finished'),
      record('c', 'w-new-n10', 10, 'finished'),
      record('d', 'w-new-n10', 11, 'stopped'),
      record('e', null, 12, 'finished'),
    ]);
    expect(groups.map((g) => [g.group, g.runs, g.finished, g.planned])).toEqual([
      ['w-new-n10', 2, 1, 10],
      ['w-old-n2', 2, 2, 2],
    ]);
    expect(groupSummary(groups[0], 'en-GB')).toMatch(/— 1 of 10 done \(cancelled\)$/);
    expect(groupSummary(groups[1], 'en-GB')).toMatch(/— 2 of 2 done$/);
  });

  test('a finished sweep with one diverged run reads as done with a divergence, not as cancelled', () => {
    const [g] = savedGroups([
      ...Array.from({ length: 5 }, (_, i) => record(`r${i}`, 'w-t-n6', i, 'finished')),
      record('x', 'w-t-n6', 9, 'diverged'),
    ]);
    expect(groupSummary(g, 'en-GB')).toMatch(/— 5 of 6 done, 1 diverged or failed$/);
  });
});
