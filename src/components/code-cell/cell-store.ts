/**
 * The reader's code, kept per cell in localStorage (it survives a reload), and whether they have
 * tried a Check yet (the solution is offered only after a try). Storage may be unavailable
 * (private mode, blocked cookies): then nothing is kept and nothing breaks.
 */
export function cellStorageKey(key: string): string {
  return `normlab.code-cell.${key}`;
}

export interface CellStore {
  code(): string | null;
  saveCode(code: string): void;
  clearCode(): void;
  tried(): boolean;
  markTried(): void;
}

export function cellStore(storageKey: string, storage: Storage | null = safeLocalStorage()): CellStore {
  const get = (k: string) => {
    try {
      return storage?.getItem(k) ?? null;
    } catch {
      return null;
    }
  };
  const set = (k: string, v: string | null) => {
    try {
      if (v === null) storage?.removeItem(k);
      else storage?.setItem(k, v);
    } catch {
      // Quota or privacy settings: the code stays in the editor for this visit only.
    }
  };
  return {
    code: () => get(storageKey),
    saveCode: (code) => set(storageKey, code),
    clearCode: () => set(storageKey, null),
    tried: () => get(`${storageKey}.tried`) === '1',
    markTried: () => set(`${storageKey}.tried`, '1'),
  };
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
