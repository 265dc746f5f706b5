/**
 * Exercise progress kept in the browser (localStorage, per page), read back through one schema:
 * a value saved by an older build or edited by hand (`solved: "no"`, a count as text) is dropped
 * for that exercise, never taken as solved. Where storage is refused (a cross-origin embed,
 * private mode) or full, progress lasts until the page closes.
 */
import { boolean, number, object, optional, string, type Infer } from '@engine/schema.ts';

const progressSchema = object({
  tries: number({ integer: true, min: 0 }),
  solved: boolean(),
  /** The last reply typed or chosen, restored on reload. */
  reply: optional(string({ maxLength: 1000 })),
});
export type Progress = Infer<typeof progressSchema>;

export const storageKey = 'normlab:exercises:v1';
const memory = new Map<string, Record<string, Progress>>();

/** Each exercise's progress that reads as such; anything else is left out. */
export function parseProgress(value: unknown): Record<string, Progress> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, Progress> = {};
  for (const [id, entry] of Object.entries(value)) {
    try {
      out[id] = progressSchema.parse(entry, id);
    } catch {
      // Unreadable progress counts as none: the exercise can be solved again.
    }
  }
  return out;
}

function readAll(storage: Pick<Storage, 'getItem'>): Record<string, unknown> {
  const parsed: unknown = JSON.parse(storage.getItem(storageKey) ?? '{}');
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** This page's progress (by exercise id). */
export function loadProgress(page: string, storage: Pick<Storage, 'getItem'> | null = safeStorage()): Record<string, Progress> {
  try {
    if (!storage) throw new Error('no storage');
    return parseProgress(readAll(storage)[page]);
  } catch {
    return memory.get(page) ?? {};
  }
}

export function saveProgress(
  page: string,
  id: string,
  progress: Progress,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeStorage(),
): void {
  const mine = { ...loadProgress(page, storage), [id]: progress };
  memory.set(page, mine);
  try {
    if (!storage) return;
    storage.setItem(storageKey, JSON.stringify({ ...readAll(storage), [page]: mine }));
  } catch {
    // Storage refused or full: progress stays in memory for this page view.
  }
}

/**
 * Every page's progress (by path, then exercise id), each entry read through the schema: what is
 * stored, with what this page view saved on top (all there is where storage is refused).
 */
export function loadAll(storage: Pick<Storage, 'getItem'> | null = safeStorage()): Record<string, Record<string, Progress>> {
  const all: Record<string, Record<string, Progress>> = {};
  try {
    if (storage) for (const [page, value] of Object.entries(readAll(storage))) all[page] = parseProgress(value);
  } catch {
    // Unreadable or refused storage: only this page view's progress.
  }
  for (const [page, mine] of memory) all[page] = { ...(all[page] ?? {}), ...mine };
  return all;
}

/** `localStorage` throws a SecurityError where storage is blocked. */
function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
