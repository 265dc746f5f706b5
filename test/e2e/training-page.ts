/**
 * Helpers for the Training-run browser tests: open the lesson with settings in the URL, read the
 * widget's run record, record main-thread long tasks, and report measurements.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

export const lesson = 'lessons/train-it-yourself/';

export interface RecordView {
  state: string;
  config: {
    optimizer: string;
    lr: number;
    norm: string;
    clipNorm: number | null;
    l2: number;
    weightDecay: number;
    bnMomentum: number;
    momentum: number;
    backend: string;
  };
  progress: { step: number }[];
  epochs: { epoch: number; validation: { accuracy: number } | null }[];
  changes: { step: number; changes: Record<string, number | null> }[];
  summary: {
    steps: number;
    validation: { accuracy: number } | null;
    test: { accuracy: number } | null;
    diverged: { step: number } | null;
    samplesPerSecond: number;
    seconds: number;
  } | null;
  samplesPerSecond: number;
}

export async function open(page: Page, query = ''): Promise<Locator> {
  await page.goto(`${lesson}${query}`);
  const widget = page.locator('nn-training-run');
  await expect(widget.locator('button[data-action="start"]')).toBeEnabled();
  return widget;
}

export function record(widget: Locator): Promise<RecordView | null> {
  return widget.evaluate((el) => (el as HTMLElement & { record: unknown }).record as RecordView | null);
}

export async function currentStep(widget: Locator): Promise<number> {
  return (await record(widget))?.progress.at(-1)?.step ?? 0;
}

/** Starts recording main-thread long tasks (> 50 ms by definition) in the page. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number; source: string }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // Where the task ran: 'self' (this page) or a frame inside it ('same-origin-descendant', …, with the frame's address).
        const frame = (entry as PerformanceEntry & { attribution?: { containerSrc?: string }[] }).attribution?.[0]?.containerSrc;
        w.longTasks.push({ start: entry.startTime, duration: entry.duration, source: frame ? `${entry.name} ${frame}` : entry.name });
      }
    }).observe({ type: 'longtask' });
  });
}

export function report(kind: string, line: string): void {
  test.info().annotations.push({ type: kind, description: line });
  console.log(`${kind}: ${line}`);
}
