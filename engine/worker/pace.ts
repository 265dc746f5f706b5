/**
 * Timing decisions of the worker's loop, kept pure so they can be tested with a fake clock:
 * a gate that opens at most once per interval (progress and diagnostics at ≤ 10 updates/s),
 * and a throughput meter for samples/s and the ETA.
 */

export interface Gate {
  /** True (and closes the gate for `intervalMs`) when the interval has passed since it last opened. */
  due(nowMs: number): boolean;
}

export function createGate(intervalMs: number): Gate {
  let last = -Infinity;
  return {
    due(nowMs) {
      if (nowMs - last < intervalMs) return false;
      last = nowMs;
      return true;
    },
  };
}

export interface RateMeter {
  /** Counts `samples` trained in `seconds` of training time. */
  add(samples: number, seconds: number): void;
  /** Samples per second over the whole run so far (0 before any time has passed). */
  readonly rate: number;
  /**
   * Seconds left for `remainingSamples` plus `remainingEvaluations` of `evaluationSeconds`
   * each; null until enough time has been measured to be meaningful.
   */
  eta(remainingSamples: number, remainingEvaluations?: number, evaluationSeconds?: number): number | null;
}

/** Below this much measured training time an ETA is noise (JIT warm-up, first epoch shuffle). */
export const minSecondsForEta = 0.25;

export function createRateMeter(): RateMeter {
  let samples = 0;
  let seconds = 0;
  return {
    add(n, s) {
      samples += n;
      seconds += s;
    },
    get rate() {
      return seconds > 0 ? samples / seconds : 0;
    },
    eta(remainingSamples, remainingEvaluations = 0, evaluationSeconds = 0) {
      if (seconds < minSecondsForEta || samples === 0) return null;
      return (remainingSamples * seconds) / samples + remainingEvaluations * evaluationSeconds;
    },
  };
}
