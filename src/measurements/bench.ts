/**
 * Training throughput of the classic model with and without BN, engine on WebAssembly: `npm run bench`
 * in Node 20.20 on an idle 2-core machine, and the browser perf specs in Chromium 156, as the
 * README's tables record them (lesson-numbers.test.ts checks the README repeats these). Samples
 * per second of the training steps only.
 */
import { pct } from './measured';

export interface Throughput {
  none: number;
  batch: number;
}

export const throughput: Record<'node' | 'chromium', Record<32 | 128, Throughput>> = {
  node: { 32: { none: 94_400, batch: 86_800 }, 128: { none: 115_700, batch: 110_500 } },
  chromium: { 32: { none: 104_200, batch: 97_600 }, 128: { none: 128_100, batch: 117_700 } },
};

/** BN's extra time per image: rate without BN over rate with BN, minus one. */
export const bnOverhead = (t: Throughput): number => t.none / t.batch - 1;

/** The overheads as the lessons print them ("8.8 %"). */
export const bench = {
  node32: pct(bnOverhead(throughput.node[32]), 1),
  node128: pct(bnOverhead(throughput.node[128]), 1),
  chromium32: pct(bnOverhead(throughput.chromium[32]), 1),
  chromium128: pct(bnOverhead(throughput.chromium[128]), 1),
};
