/**
 * `nn-grade-submissions`: the grading page. Reads the submission files an instructor picks or
 * drops (src/lib/submission.ts refuses what is too large, malformed, of another version or another
 * course), re-checks every exercise reply against the build's answer key (grade.ts) and re-runs
 * every code cell's Check through check-code.ts — the code cell's own sandbox and checker, with its
 * 5 s limit — in a few lanes, one Check at a time per lane. Everything a file holds reaches the page
 * as text (textContent), never as HTML.
 */
import { siteUrl } from '@client/site-root';
import type { AnswerKey } from '../../lib/answer-key';
import { maxSubmissionBytes, parseSubmission, SubmissionError } from '../../lib/submission';
import { cellTimeLimitMs, checkCode } from '../code-cell/check-code';
import { CheckerLane } from '../code-cell/checker-client';
import { CellTimeout, SandboxFrame } from '../code-cell/sandbox-client';
import { warmStripTypes } from '../code-cell/strip-client';
import {
  checkOutcome,
  gradebookCsv,
  gradeSubmission,
  keyColumns,
  tableHeader,
  tableRow,
  type CheckEnd,
  type CheckJob,
  type Column,
  type Outcome,
} from './grade';

interface Row {
  student: string;
  file: string;
  outcomes: Outcome[];
  tr: HTMLTableRowElement;
}

/** What a lane checks with: its sandbox frame (fresh workers for every Check) and its checker worker. */
interface LaneKit {
  sandbox: SandboxFrame;
  checker: CheckerLane;
}

const nextTask = () => new Promise((done) => setTimeout(done, 0));
/** Runs `work` when the page is idle (or soon, where the browser cannot tell). */
const whenIdle = (work: () => void) =>
  typeof requestIdleCallback === 'function' ? requestIdleCallback(work, { timeout: 2000 }) : setTimeout(work, 50);
const bytes = (n: number) => `${n.toLocaleString('en')} bytes`;

class GradeSubmissionsElement extends HTMLElement {
  #key: Promise<{ key: AnswerKey; columns: Column[] }> | null = null;
  #columns: Column[] = [];
  #rows: Row[] = [];
  #queue: { row: Row; job: CheckJob }[] = [];
  #lanes = 0;
  #checked = 0;
  #toCheck = 0;
  #reading = 0;
  /** Up to two lanes (one on a one-core device); the kits of the lanes not running. */
  #idleKits: LaneKit[] = [];

  connectedCallback(): void {
    const form = this.#part<HTMLFormElement>('form');
    if (form.dataset.bound !== undefined) return;
    form.dataset.bound = '';
    form.hidden = false;
    const lanes = Math.min(2, navigator.hardwareConcurrency || 1);
    this.#idleKits = Array.from({ length: lanes }, () => ({ sandbox: new SandboxFrame(), checker: new CheckerLane() }));
    // The answer key and the table's header are made when the page loads, and the lanes' frames and workers when
    // the instructor comes to pick files (a pointer over the form, focus in it, files dragged in), each in a task of
    // its own: made at the drop, they were the one main-thread task over 50 ms in grading. Not at load: a page that
    // is only opened starts no sandbox (under a strict Content-Security-Policy that is a violation to report).
    // A failure here is met and explained again at the drop.
    this.#loadKey().catch(() => {});
    const warmEvents = ['pointerover', 'focusin', 'dragenter'] as const;
    const warm = () => {
      for (const type of warmEvents) this.removeEventListener(type, warm);
      this.#loadKey().then(
        () => this.#warm(),
        () => {},
      );
    };
    for (const type of warmEvents) this.addEventListener(type, warm);
    const input = this.#part<HTMLInputElement>('input[type="file"]');
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      input.value = '';
      void this.#add(files);
    });
    const zone = this.#part<HTMLElement>('[data-drop]');
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.dataset.over = '';
    });
    zone.addEventListener('dragleave', () => delete zone.dataset.over);
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      delete zone.dataset.over;
      void this.#add([...(event.dataTransfer?.files ?? [])]);
    });
    this.#part<HTMLButtonElement>('button[data-csv]').addEventListener('click', () => this.#downloadCsv());
  }

  disconnectedCallback(): void {
    for (const kit of this.#idleKits) {
      kit.sandbox.dispose();
      kit.checker.dispose();
    }
  }

  /** Starts the type-stripping worker, then each lane's sandbox frame and checker, one per idle period. */
  #warm(): void {
    const steps = [warmStripTypes, ...this.#idleKits.flatMap((kit) => [() => kit.sandbox.warm(), () => kit.checker.warm()])];
    const next = () => {
      steps.shift()?.();
      if (steps.length > 0) whenIdle(next);
    };
    whenIdle(next);
  }

  #part<T extends Element>(selector: string): T {
    const node = this.querySelector<T>(selector);
    if (!node) throw new Error(`nn-grade-submissions: missing ${selector}`);
    return node;
  }

  #loadKey(): Promise<{ key: AnswerKey; columns: Column[] }> {
    this.#key ??= fetch(siteUrl('instructors/grade/answer-key.json')).then(async (r) => {
      if (!r.ok) throw new Error(`the answer key ${r.url} could not be loaded: HTTP ${r.status}`);
      const key = (await r.json()) as AnswerKey;
      const columns = keyColumns(key);
      this.#columns = columns;
      this.#renderHeader(columns);
      return { key, columns };
    });
    this.#key.catch(() => (this.#key = null));
    return this.#key;
  }

  async #add(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.#reading++;
    this.#busy();
    try {
      const { key, columns } = await this.#loadKey();
      for (const file of files) {
        // One file per task: reading and parsing a large file never adds up to one long task.
        await nextTask();
        if (file.size > maxSubmissionBytes) {
          this.#refuse(file.name, `too large: received ${bytes(file.size)}, the limit is ${bytes(maxSubmissionBytes)}`);
          continue;
        }
        try {
          const submission = parseSubmission(await file.text(), file.name, key.course.id);
          const { outcomes, jobs } = gradeSubmission(columns, submission);
          const row = this.#addRow(submission.student, file.name, outcomes);
          this.#queue.push(...jobs.map((job) => ({ row, job })));
          this.#toCheck += jobs.length;
          this.#startLanes();
        } catch (e) {
          this.#refuse(
            file.name,
            e instanceof SubmissionError ? e.reason : `could not be read: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
    } catch (e) {
      this.#status(`Grading is not possible here: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.#reading--;
      this.#busy();
    }
  }

  /** A lane for each idle kit while Checks wait. */
  #startLanes(): void {
    while (this.#idleKits.length > 0 && this.#queue.length > 0) {
      this.#lanes++;
      void this.#lane(this.#idleKits.pop()!);
    }
    this.#busy();
  }

  /**
   * Takes Checks from the queue until it is empty; a lane leaves in the same task that found it empty, so no job is
   * left without one. The reader's code runs in fresh workers of the lane's sandbox every time; the frame and the
   * checker, which only sees outputs, are kept for the next files.
   */
  async #lane(kit: LaneKit): Promise<void> {
    const { sandbox, checker } = kit;
    try {
      for (let item = this.#queue.shift(); item; item = this.#queue.shift()) {
        const { row, job } = item;
        row.outcomes[job.column] = checkOutcome(await this.#check(sandbox, checker, job));
        this.#checked++;
        this.#renderRow(row);
        this.#busy();
      }
    } finally {
      this.#lanes--;
      this.#idleKits.push(kit);
      this.#busy();
    }
  }

  async #check(sandbox: SandboxFrame, checker: CheckerLane, job: CheckJob): Promise<CheckEnd> {
    try {
      return await checkCode(sandbox, job.exercise, job.code, job.functions, undefined, checker);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof CellTimeout && message.startsWith('stopped after'))
        return { type: 'timeout', message: `stopped after ${cellTimeLimitMs / 1000} s: the code was still running` };
      return { type: 'not-checked', message };
    }
  }

  /** Progress, the state tests and assistive technology read, and whether the CSV may be taken. */
  #busy(): void {
    const busy = this.#reading > 0 || this.#lanes > 0 || this.#queue.length > 0;
    this.dataset.state = busy ? 'grading' : 'done';
    const progress = this.#part<HTMLProgressElement>('progress');
    progress.hidden = !busy || this.#toCheck === 0;
    progress.max = Math.max(1, this.#toCheck);
    progress.value = this.#checked;
    this.#part<HTMLButtonElement>('button[data-csv]').disabled = busy || this.#rows.length === 0;
    const files = `${this.#rows.length} file${this.#rows.length === 1 ? '' : 's'} graded`;
    const refused = this.querySelectorAll('[data-refused] li').length;
    const cells = `${this.#checked} of ${this.#toCheck} code cells checked`;
    this.#status(`${busy ? 'Grading… ' : ''}${files}, ${cells}${refused ? `, ${refused} file${refused === 1 ? '' : 's'} refused` : ''}.`);
  }

  #status(text: string): void {
    const status = this.#part<HTMLElement>('[data-status]');
    if (status.textContent !== text) status.textContent = text;
  }

  #refuse(file: string, reason: string): void {
    const section = this.#part<HTMLElement>('[data-refused]');
    section.hidden = false;
    const li = document.createElement('li');
    const name = document.createElement('strong');
    name.textContent = file;
    li.append(name, document.createTextNode(`: ${reason}`));
    section.querySelector('ul')!.append(li);
    this.#busy();
  }

  #renderHeader(columns: readonly Column[]): void {
    const tr = document.createElement('tr');
    for (const text of tableHeader(columns)) {
      const th = document.createElement('th');
      th.scope = 'col';
      // A break opportunity after the lesson's name keeps the many columns narrow.
      const cut = text.indexOf('/') + 1;
      if (cut > 0) th.append(text.slice(0, cut), document.createElement('wbr'), text.slice(cut));
      else th.textContent = text;
      tr.append(th);
    }
    this.#part<HTMLTableSectionElement>('thead').replaceChildren(tr);
    // A definite width (every column is 9rem) keeps the table's layout fixed: the browser never measures the
    // cells' text to size the table, which made the first 30 rows one long task.
    this.#part<HTMLTableElement>('table').style.setProperty('--grade-columns', String(tr.cells.length));
    this.#part<HTMLTableColElement>('colgroup').replaceChildren(...[...tr.cells].map(() => document.createElement('col')));
  }

  #addRow(student: string, file: string, outcomes: Outcome[]): Row {
    const tr = document.createElement('tr');
    const row = { student, file, outcomes, tr };
    const head = document.createElement('th');
    head.scope = 'row';
    tr.append(
      head,
      ...tableHeader(this.#columns)
        .slice(1)
        .map(() => document.createElement('td')),
    );
    this.#rows.push(row);
    this.#renderRow(row);
    this.#part<HTMLTableSectionElement>('tbody').append(tr);
    this.#part<HTMLElement>('[data-results]').hidden = false;
    return row;
  }

  #renderRow(row: Row): void {
    tableRow(this.#columns, row.student, row.file, row.outcomes).forEach(({ text, verdict }, i) => {
      const cell = row.tr.cells[i];
      if (cell.textContent !== text) cell.textContent = text;
      if (verdict) cell.dataset.verdict = verdict;
    });
  }

  #downloadCsv(): void {
    const csv = gradebookCsv(
      tableHeader(this.#columns),
      this.#rows.map((r) => tableRow(this.#columns, r.student, r.file, r.outcomes)),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `grades-${this.dataset.course ?? 'course'}-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

if (!customElements.get('nn-grade-submissions')) customElements.define('nn-grade-submissions', GradeSubmissionsElement);
