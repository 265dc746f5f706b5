/**
 * Drives one `<Experiment>` button on a lesson page, for the specs of the lessons that declare
 * experiments on the kit (claims, regularization, dropout): start it, record every verdict it
 * shows with the queue's states at that moment, wait for the end, and read back the queue and the
 * verdict. What a spec then checks about them (the rule, the counts) stays in the spec.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** One verdict the element showed, with the queue's run states at that moment. */
export interface Seen {
  verdict: string;
  outcome: string;
  states: string[];
}

/** One queue entry after the end. */
export interface Entry {
  key: string;
  state: string;
  /** The measured value the queue shows for a finished run (a percentage, or seconds for a timing plan), null otherwise. */
  value: number | null;
}

export interface ExperimentRun {
  widget: Locator;
  seen: Seen[];
  entries: Entry[];
  verdict: string;
  outcome: string;
}

/** Starts the experiment named `name` on the current page and waits until its verdict is no longer pending. */
export async function runExperiment(page: Page, name: string): Promise<ExperimentRun> {
  const widget = page.locator(`nn-experiment[data-plan="${name}"]`);
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.locator('[data-verdict]')).toHaveAttribute('data-outcome', 'pending');
  await widget.evaluate((el) => {
    const seen: Seen[] = [];
    (el as HTMLElement & { seen: Seen[] }).seen = seen;
    const verdict = el.querySelector<HTMLElement>('[data-verdict]')!;
    new MutationObserver(() =>
      seen.push({
        verdict: verdict.textContent ?? '',
        outcome: verdict.dataset.outcome ?? '',
        states: [...el.querySelectorAll<HTMLElement>('[data-queue] li')].map((li) => li.dataset.state ?? ''),
      }),
    ).observe(verdict, { childList: true, characterData: true, subtree: true, attributes: true });
  });
  await widget.getByRole('button', { name: 'Start the experiment' }).click();
  await expect(widget.locator('[data-verdict]')).not.toHaveAttribute('data-outcome', 'pending', { timeout: 540_000 });
  await expect(widget.getByRole('button', { name: 'Start the experiment' })).toBeEnabled();
  const seen = await widget.evaluate((el) => (el as HTMLElement & { seen: Seen[] }).seen);
  const entries = await widget.locator('[data-queue] li').evaluateAll((items) =>
    items.map((li) => {
      const text = li.querySelector('[data-entry-state]')?.textContent ?? '';
      const m = /^done: ([\d.]+) /.exec(text);
      return {
        key: li.querySelector('.entry-name')?.textContent ?? '',
        state: (li as HTMLElement).dataset.state ?? '',
        value: m ? Number(m[1]) : null,
      };
    }),
  );
  const verdict = (await widget.locator('[data-verdict]').textContent()) ?? '';
  const outcome = (await widget.locator('[data-verdict]').getAttribute('data-outcome')) ?? '';
  // The measured verdict and queue, in the report (lessons quote browser numbers from here).
  test.info().annotations.push({
    type: 'verdict',
    description: `${name}: ${verdict} | ${entries.map((e) => `${e.key}: ${e.value ?? e.state}`).join('; ')}`,
  });
  return { widget, seen, entries, verdict, outcome };
}

/** Every verdict shown while a run was pending or running was the pending one, and none after. */
export function expectNoEarlyVerdict(seen: readonly Seen[]): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const s of seen) {
    if (s.states.some((st) => st === 'pending' || st === 'running')) expect(s.outcome, s.verdict).toBe('pending');
    else expect(s.outcome).not.toBe('pending');
  }
}

/** The finished value the queue shows for `key`. */
export function valueOf(entries: readonly Entry[], key: string): number {
  const e = entries.find((x) => x.key === key);
  if (!e || e.value === null) throw new Error(`no finished value for '${key}' in ${JSON.stringify(entries)}`);
  return e.value;
}
