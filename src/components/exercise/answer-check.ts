/**
 * Checking a reader's answer to an exercise, without the DOM. Numbers are compared with a stated
 * tolerance (absolute, or relative to the expected value), choices by their value. Parsing is
 * deliberately forgiving of how people type numbers ("0.9", "4.4e1", "1,688", "97 %", "−3"),
 * and says what it received when it cannot read a number at all.
 */

export type Verdict = { kind: 'correct'; message: string } | { kind: 'wrong'; message: string } | { kind: 'unreadable'; message: string };

export interface NumberSpec {
  answer: number;
  /** Accepted distance from the answer: `abs` in the answer's units, `rel` as a fraction of it. */
  tolerance: { abs: number } | { rel: number };
}

const MAX_ECHO = 40;

function echo(text: string): string {
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

/** Reads a typed number; returns undefined when the text is not one number. */
export function parseNumber(text: string): number | undefined {
  let s = text.trim().replace(/[\u2212\u2013]/g, '-');
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  // Thousands separators only where they look like them (1,688 or 54,000), so "0,5" stays unreadable
  // rather than silently becoming 5.
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

export function checkNumber(text: string, spec: NumberSpec): Verdict {
  if (text.trim() === '') return { kind: 'unreadable', message: 'Type a number first.' };
  const value = parseNumber(text);
  if (value === undefined) {
    return { kind: 'unreadable', message: `Expected one number (like 0.99, 44 or 1e-3); received "${echo(text.trim())}".` };
  }
  const allowed = 'abs' in spec.tolerance ? spec.tolerance.abs : Math.abs(spec.answer) * spec.tolerance.rel;
  if (Math.abs(value - spec.answer) <= allowed + 1e-12 * Math.max(1, Math.abs(spec.answer))) {
    return { kind: 'correct', message: `Correct: ${value}.` };
  }
  const direction = value < spec.answer ? 'too small' : 'too large';
  return { kind: 'wrong', message: `Not quite: ${value} is ${direction}.` };
}

export function checkChoice(selected: string | undefined, answer: string): Verdict {
  if (selected === undefined) return { kind: 'unreadable', message: 'Choose one of the options first.' };
  return selected === answer ? { kind: 'correct', message: 'Correct.' } : { kind: 'wrong', message: 'Not this one.' };
}

/** Parses the tolerance written on an exercise: "0.5" (absolute) or "2%" (relative). */
export function parseTolerance(text: string | undefined): NumberSpec['tolerance'] {
  if (text === undefined || text.trim() === '') return { abs: 0 };
  const t = text.trim();
  if (t.endsWith('%')) {
    const rel = Number(t.slice(0, -1));
    if (!Number.isFinite(rel) || rel < 0)
      throw new Error(`exercise: tolerance must be a number ≥ 0 or a percentage like "2%", received "${echo(t)}"`);
    return { rel: rel / 100 };
  }
  const abs = Number(t);
  if (!Number.isFinite(abs) || abs < 0)
    throw new Error(`exercise: tolerance must be a number ≥ 0 or a percentage like "2%", received "${echo(t)}"`);
  return { abs };
}
