/**
 * Redraws split into one task per chart: a Plot redraw of a live chart takes 10–40 ms, so two or
 * more in one task could hold the main thread past 50 ms while a run is going. Between jobs the
 * browser gets to handle input and paint. Returns the longest job's duration in ms.
 */
export async function inTasks(jobs: readonly (() => void)[]): Promise<number> {
  let longest = 0;
  for (const [i, job] of jobs.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const started = performance.now();
    job();
    longest = Math.max(longest, performance.now() - started);
  }
  return longest;
}
