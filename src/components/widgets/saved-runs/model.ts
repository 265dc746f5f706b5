/**
 * What the saved-runs list shows, without the DOM: a row per stored entry (a run, or a record that
 * cannot be read and why) or per saved group of runs (a sweep), the note above the list, and what
 * an export says about the records it skipped.
 */
import { isActive, type RunRecord } from '@client/run-record';
import type { StoredRun } from '@client/run-store';
import { groupSummary, savedGroups } from '@experiments/saved-groups';

/** Row actions a host widget handles itself; the list does CSV, JSON and Delete. */
export const hostActions = ['show', 'overlay'] as const;
export type HostAction = (typeof hostActions)[number];
export type RowAction = HostAction | 'csv' | 'json' | 'delete';

export const actionLabels: Record<RowAction, string> = { show: 'Show', overlay: 'Overlay', csv: 'CSV', json: 'JSON', delete: 'Delete' };

export interface RowView {
  /** `data-run-id` of a run row (the store's id of its key) or `data-group` of a group row. */
  id: string;
  /** The run's state, 'unreadable', or 'group'. */
  state: string;
  label: string;
  /** The state as shown, with why a run was cut short or not saved. */
  stateText: string;
  /** ISO time of the run (or group) for `<time datetime>`, or null. */
  time: string | null;
  timeText: string;
  result: string;
  /** Why the record cannot be read (unreadable rows only). */
  reason: string | null;
  actions: RowAction[];
  /** Actions shown but disabled (Delete of the run this tab is still training). */
  disabled: RowAction[];
  /** The store keys and the readable records the row stands for. */
  keys: IDBValidKey[];
  records: RunRecord[];
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const localTime = (ms: number) => new Date(ms).toLocaleString();

/** "finished", "interrupted: its tab closed before the end", "running · not saved (QuotaExceededError…): kept in this page until it closes". */
export function stateText(entry: Extract<StoredRun, { readable: true }>): string {
  const r = entry.record;
  const e = entry.saveError;
  if (e?.inPage) return `${r.state} · not saved (${e.reason}): kept in this page until it closes; export it`;
  if (e) return `${r.state}: it could not be saved after ${localTime(e.at)} (${e.reason}), so it ends where its last save did`;
  if (r.state === 'interrupted') return 'interrupted: the tab running it closed before the run ended';
  return r.state;
}

function unreadableRow(entry: Extract<StoredRun, { readable: false }>): RowView {
  return {
    id: entry.id,
    state: 'unreadable',
    label: `Unreadable record ${entry.id}`,
    stateText: 'unreadable',
    time: null,
    timeText: '',
    result: '',
    reason: entry.reason,
    actions: ['delete'],
    disabled: [],
    keys: [entry.key],
    records: [],
  };
}

export function runRow(entry: StoredRun, actions: readonly HostAction[]): RowView {
  if (!entry.readable) return unreadableRow(entry);
  const r = entry.record;
  const validation = r.summary?.validation ?? r.epochs.at(-1)?.validation;
  return {
    id: entry.id,
    state: r.state,
    label: r.label,
    stateText: stateText(entry),
    time: new Date(r.createdAt).toISOString(),
    timeText: localTime(r.createdAt),
    result: validation ? `validation ${percent(validation.accuracy)}` : '',
    reason: null,
    actions: [...actions, 'csv', 'json', 'delete'],
    disabled: entry.live && isActive(r) ? ['delete'] : [],
    keys: [entry.key],
    records: [r],
  };
}

/** One row per saved group (newest first), then one per unreadable record; runs outside a group are left out. */
export function groupRows(entries: readonly StoredRun[], actions: readonly HostAction[]): RowView[] {
  const readable = entries.flatMap((e) => (e.readable ? [e] : []));
  const groups = savedGroups(readable.map((e) => e.record)).map((g): RowView => {
    const members = readable.filter((e) => e.record.group === g.group);
    return {
      id: g.group,
      state: 'group',
      label: groupSummary(g),
      stateText: members.some((e) => isActive(e.record)) ? 'running' : '',
      time: new Date(g.createdAt).toISOString(),
      timeText: '',
      result: '',
      reason: null,
      actions: [...actions, 'csv', 'json', 'delete'],
      disabled: members.some((e) => e.live && isActive(e.record)) ? ['delete'] : [],
      keys: members.map((e) => e.key),
      records: members.map((e) => e.record),
    };
  });
  return [...entries.flatMap((e) => (e.readable ? [] : [unreadableRow(e)])), ...groups];
}

/** The line above the list when some records cannot be read, or ''. */
export function problemText(unreadable: number): string {
  if (unreadable === 0) return '';
  const records = unreadable === 1 ? '1 saved record could not be read' : `${unreadable} saved records could not be read`;
  return `${records} (saved by another build of the site, or changed by hand): the reason is beside each. Delete them; exports and overlays skip them.`;
}

/** What an export of all runs says: "Exported 3 runs; 2 unreadable records skipped." */
export function exportText(exported: number, skipped: number): string {
  const runs = `Exported ${exported} run${exported === 1 ? '' : 's'}`;
  return skipped === 0 ? `${runs}.` : `${runs}; ${skipped} unreadable record${skipped === 1 ? '' : 's'} skipped.`;
}

/** The note under the title: where runs are kept, and what failed. */
export function noteText(persistent: boolean, saveError: string | null): string {
  if (saveError)
    return `Saving runs in this browser failed (${saveError}): new runs are kept in this page until it closes. Export them to keep them.`;
  if (!persistent)
    return 'This browser does not allow saving runs here (private mode or a sandboxed frame): runs last until the page closes.';
  return 'Runs are saved in this browser as they go. Nothing is sent anywhere.';
}
