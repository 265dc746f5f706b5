/**
 * `nn-exercise`: checks a reader's answer in the page (answer-check.ts), shows the hint after a
 * wrong try and the worked answer after any try, and keeps each exercise's progress in the
 * browser (per page), so a reload shows what was already solved. Where storage is refused
 * (a cross-origin embed, private mode), progress lasts until the page closes.
 */
import { checkChoice, checkNumber, parseTolerance, type Verdict } from './answer-check';

interface Progress {
  tries: number;
  solved: boolean;
  /** The last reply typed or chosen, restored on reload. */
  reply?: string;
}

const STORAGE_KEY = 'normlab:exercises:v1';
const memory = new Map<string, Record<string, Progress>>();

function pageKey(): string {
  return location.pathname.replace(/index\.html$/, '');
}

/** Every page's exercise progress (by path), from storage or, where storage is refused, this page's memory. */
export function loadAll(): Record<string, Record<string, Progress>> {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Record<string, Progress>>) : {};
  } catch {
    return Object.fromEntries(memory);
  }
}

export function loadProgress(): Record<string, Progress> {
  return loadAll()[pageKey()] ?? {};
}

function saveProgress(id: string, progress: Progress): void {
  const all = loadAll();
  const page = { ...(all[pageKey()] ?? {}), [id]: progress };
  memory.set(pageKey(), page);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...all, [pageKey()]: page }));
  } catch {
    // Storage refused or full: progress stays in memory for this page view.
  }
}

class ExerciseElement extends HTMLElement {
  #progress: Progress = { tries: 0, solved: false };

  connectedCallback(): void {
    const form = this.querySelector<HTMLFormElement>('.exercise-form');
    const details = this.querySelector<HTMLDetailsElement>('.exercise-answer');
    const id = this.dataset.id ?? '';
    this.#progress = loadProgress()[id] ?? { tries: 0, solved: false };
    if (!form || !details) return;
    form.hidden = false;
    details.hidden = this.#progress.tries === 0;
    this.#restoreReply(form);
    if (this.#progress.solved) this.#show({ kind: 'correct', message: 'Solved earlier on this device.' }, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#check(form, details, id);
    });
  }

  #reply(form: HTMLFormElement): string | undefined {
    const value = new FormData(form).get('answer');
    return typeof value === 'string' ? value : undefined;
  }

  #restoreReply(form: HTMLFormElement): void {
    const reply = this.#progress.reply;
    if (reply === undefined) return;
    const text = form.querySelector<HTMLInputElement>('input[type="text"]');
    if (text) text.value = reply;
    const radio = Array.from(form.querySelectorAll<HTMLInputElement>('input[type="radio"]')).find((r) => r.value === reply);
    if (radio) radio.checked = true;
  }

  #check(form: HTMLFormElement, details: HTMLDetailsElement, id: string): void {
    const answer = this.dataset.answer ?? '';
    const reply = this.#reply(form);
    const verdict =
      this.dataset.kind === 'choice'
        ? checkChoice(reply, answer)
        : checkNumber(reply ?? '', { answer: Number(answer), tolerance: parseTolerance(this.dataset.tolerance) });
    this.#show(verdict, form);
    if (verdict.kind === 'unreadable') return;
    this.#progress = { tries: this.#progress.tries + 1, solved: this.#progress.solved || verdict.kind === 'correct', reply };
    saveProgress(id, this.#progress);
    details.hidden = false;
    this.dispatchEvent(new CustomEvent('nn-exercise-progress', { bubbles: true }));
  }

  #show(verdict: Verdict, form: HTMLFormElement): void {
    this.dataset.state = verdict.kind;
    const feedback = form.querySelector<HTMLElement>('.exercise-feedback');
    if (feedback) feedback.textContent = verdict.message + (verdict.kind === 'wrong' ? ' Try again, or open the worked answer below.' : '');
    const hint = form.querySelector<HTMLElement>('.exercise-hint');
    if (hint) hint.hidden = verdict.kind !== 'wrong';
  }
}

if (!customElements.get('nn-exercise')) customElements.define('nn-exercise', ExerciseElement);

/** `nn-exercise-progress`: "2 of 3 checked exercises solved on this device". */
class ExerciseProgressElement extends HTMLElement {
  #update = (): void => {
    const checked = Array.from(document.querySelectorAll<HTMLElement>('nn-exercise:not([data-kind="open"])'));
    const progress = loadProgress();
    const solved = checked.filter((el) => progress[el.dataset.id ?? '']?.solved).length;
    this.textContent = checked.length === 0 ? '' : `${solved} of ${checked.length} checked exercises solved on this device.`;
  };

  connectedCallback(): void {
    this.#update();
    document.addEventListener('nn-exercise-progress', this.#update);
  }

  disconnectedCallback(): void {
    document.removeEventListener('nn-exercise-progress', this.#update);
  }
}

if (!customElements.get('nn-exercise-progress')) customElements.define('nn-exercise-progress', ExerciseProgressElement);
