import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { createRunRecord, type RunRecord } from '@client/run-record';
import type { StoredRun } from '@client/run-store';
import { exportText, groupRows, noteText, problemText, runRow } from './model';

const run = (id: string, patch: Partial<RunRecord> = {}): RunRecord => ({
  ...createRunRecord({ id, widget: 'w', config: parseTrainConfig({}), now: 1000 }),
  state: 'finished',
  ...patch,
});
const entry = (record: RunRecord, patch: Partial<Extract<StoredRun, { readable: true }>> = {}): StoredRun => ({
  readable: true,
  id: record.id,
  key: record.id,
  record,
  saveError: null,
  live: false,
  ...patch,
});
const unreadable: StoredRun = {
  readable: false,
  id: '#42',
  key: 42,
  reason: 'record.id: expected a string of at least 1 character, received 42',
};

describe('runRow(entry, actions)', () => {
  it('a run: its label, state, validation accuracy, the host actions then CSV, JSON and Delete', () => {
    const row = runRow(
      entry(
        run('a', {
          epochs: [
            {
              epoch: 1,
              step: 1,
              train: { loss: 1, accuracy: 0.5 },
              validation: { loss: 1, accuracy: 0.9123 },
              test: null,
              seconds: 1,
              samplesPerSecond: 1,
            },
          ],
        }),
      ),
      ['show', 'overlay'],
    );
    expect(row).toMatchObject({
      id: 'a',
      state: 'finished',
      stateText: 'finished',
      result: 'validation 91.2 %',
      reason: null,
      actions: ['show', 'overlay', 'csv', 'json', 'delete'],
      disabled: [],
    });
  });

  it('an unreadable record: the reason and Delete only, nothing to show or export', () => {
    expect(runRow(unreadable, ['show'])).toMatchObject({
      id: '#42',
      state: 'unreadable',
      label: 'Unreadable record #42',
      reason: unreadable.readable ? '' : unreadable.reason,
      actions: ['delete'],
      keys: [42],
      records: [],
    });
  });

  it('says why a run is not saved, or why it ends early after a reload; the run this tab trains cannot be deleted', () => {
    const r = run('b', { state: 'running' });
    const inPage = runRow(entry(r, { live: true, saveError: { reason: 'QuotaExceededError: full', at: 0, inPage: true } }), []);
    expect(inPage.stateText).toBe('running · not saved (QuotaExceededError: full): kept in this page until it closes; export it');
    expect(inPage.disabled).toEqual(['delete']);
    const later = runRow(
      entry({ ...r, state: 'interrupted' }, { saveError: { reason: 'QuotaExceededError: full', at: 0, inPage: false } }),
      [],
    );
    expect(later.stateText).toMatch(
      /^interrupted: it could not be saved after .* \(QuotaExceededError: full\), so it ends where its last save did$/,
    );
    expect(runRow(entry({ ...r, state: 'interrupted' }), []).stateText).toBe('interrupted: the tab running it closed before the run ended');
  });
});

describe('groupRows(entries, actions)', () => {
  it('one row per saved group with its runs, newest first, after the unreadable records; ungrouped runs left out', () => {
    const rows = groupRows(
      [
        entry(run('a', { group: 'g-old', createdAt: 1 })),
        entry(run('b', { group: 'g-new', createdAt: 5 })),
        entry(run('c', { group: 'g-new', createdAt: 6 })),
        entry(run('d')),
        unreadable,
      ],
      ['show'],
    );
    expect(rows.map((r) => [r.id, r.state, r.records.map((x) => x.id)])).toEqual([
      ['#42', 'unreadable', []],
      ['g-new', 'group', ['b', 'c']],
      ['g-old', 'group', ['a']],
    ]);
    expect(rows[1].actions).toEqual(['show', 'csv', 'json', 'delete']);
  });
});

describe('texts', () => {
  it('name how many records could not be read and what an export skipped', () => {
    expect(problemText(0)).toBe('');
    expect(problemText(1)).toMatch(/^1 saved record could not be read/);
    expect(problemText(18)).toMatch(/^18 saved records could not be read/);
    expect(exportText(2, 0)).toBe('Exported 2 runs.');
    expect(exportText(1, 18)).toBe('Exported 1 run; 18 unreadable records skipped.');
  });

  it('never claim that runs are saved while saves fail', () => {
    expect(noteText(true, null)).toBe('Runs are saved in this browser as they go. Nothing is sent anywhere.');
    expect(noteText(true, 'QuotaExceededError: full')).toMatch(/^Saving runs in this browser failed \(QuotaExceededError: full\)/);
    expect(noteText(false, null)).toMatch(/runs last until the page closes/);
  });
});
