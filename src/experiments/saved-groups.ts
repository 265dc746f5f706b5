/**
 * Saved plan runs as a list a reader picks from: every group a widget saved (newest first), with
 * how many of its planned runs finished, so an earlier complete sweep stays reachable after a
 * newer one was cancelled.
 */
import type { RunRecord } from '@client/run-record';
import { plannedRuns } from './plan';

export interface SavedGroup {
  group: string;
  createdAt: number;
  runs: number;
  finished: number;
  /** Runs that ended on their own without finishing: diverged or failed (an outcome, not a cancel). */
  diverged: number;
  /** Runs the plan had (more than `runs` when it was cancelled before all started). */
  planned: number;
  /** Runs stopped, interrupted or never started: the group was cut short. */
  cancelled: number;
  /** The group's saved runs, oldest first. */
  records: RunRecord[];
}

export function savedGroups(records: readonly RunRecord[]): SavedGroup[] {
  const byGroup = new Map<string, RunRecord[]>();
  for (const r of records) if (r.group !== null) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  return [...byGroup.entries()]
    .map(([group, runs]) => ({
      group,
      createdAt: Math.min(...runs.map((r) => r.createdAt)),
      runs: runs.length,
      finished: runs.filter((r) => r.state === 'finished').length,
      diverged: runs.filter((r) => r.state === 'diverged' || r.state === 'failed').length,
      planned: Math.max(runs.length, plannedRuns(group) ?? 0),
      records: [...runs].sort((a, b) => a.createdAt - b.createdAt),
    }))
    .map((g) => ({ ...g, cancelled: g.planned - g.finished - g.diverged }))
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** "26/11/2026, 14:05 — 2 of 10 done (cancelled)", "… — 5 of 6 done, 1 diverged" or "… — 10 of 10 done". */
export function groupSummary(g: SavedGroup, locale?: string): string {
  const when = new Date(g.createdAt).toLocaleString(locale);
  const diverged = g.diverged > 0 ? `, ${g.diverged} diverged or failed` : '';
  const cut = g.cancelled > 0 ? ' (cancelled)' : '';
  return `${when} — ${g.finished} of ${g.planned} done${diverged}${cut}`;
}
