/**
 * `<nn-saved-runs>`: the saved-runs manager (SavedRuns.astro), shared by the training-run widget
 * (a row per run) and the batch sweep (a row per saved sweep). It lists the page's store newest
 * first, `data-page-size` rows at a time with "Show more"; a record that cannot be read gets a
 * row with the reason and a Delete button; CSV, JSON, Delete with Undo and "Export all" are done
 * here, skipping unreadable records and saying so. A change saved during a run replaces only its
 * own row, with the entry the store hands over (nothing is read back).
 *
 * The host widget handles Show and Overlay (named in `data-actions`): it listens for
 * `nn-saved-runs` events whose `detail` is a `SavedRunsAction`. See the widgets README.
 */
import type { RunRecord } from '@client/run-record';
import type { RunStore, StoredRun } from '@client/run-store';
import { getRunStore } from '@client/shared-store';
import { requireElement } from '../widget-dom';
import { downloadRuns } from './download';
import {
  actionLabels,
  exportText,
  groupRows,
  hostActions,
  noteText,
  problemText,
  runRow,
  type HostAction,
  type RowAction,
  type RowView,
} from './model';

/** What a host hears: Show or Overlay of a row (a run, or a group's runs), or its deletion. */
export interface SavedRunsAction {
  action: HostAction | 'delete';
  /** The row's id: a run id, or a group id in the groups list. */
  id: string;
  /** The readable runs of the row (none for an unreadable record). */
  records: RunRecord[];
  /** Overlay only: whether the row is now drawn. */
  pressed: boolean;
}

export const savedRunsEvent = 'nn-saved-runs';
const defaultPageSize = 20;

export class SavedRunsElement extends HTMLElement {
  #store: RunStore | null = null;
  #stops: (() => void)[] = [];
  /** Loaded entries, newest first (all of this widget's in the groups list). */
  #entries: StoredRun[] = [];
  #total = 0;
  /** Group rows shown (the groups list pages its rows, not its reads). */
  #groupsShown = 0;
  #rows = new Map<string, RowView>();
  #pressed = new Set<string>();
  #deleted: RunRecord[] = [];

  get #widget(): string | undefined {
    return this.dataset.widget || undefined;
  }

  get #groups(): boolean {
    return this.dataset.rows === 'groups';
  }

  get #pageSize(): number {
    return Number(this.dataset.pageSize) || defaultPageSize;
  }

  get #actions(): HostAction[] {
    const named = (this.dataset.actions ?? '').split(/\s+/);
    return hostActions.filter((a) => named.includes(a));
  }

  connectedCallback(): void {
    if (this.#stops.length > 0) return;
    const list = this.#el('[data-history]');
    const onClick = (event: Event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-history-action]');
      const id = button?.closest<HTMLElement>('li')?.dataset.rowId;
      const row = id === undefined ? undefined : this.#rows.get(id);
      if (button && row) void this.#act(button.dataset.historyAction as RowAction, row, button);
    };
    list.addEventListener('click', onClick);
    this.#onAction('show-more', () => void this.#more());
    this.#onAction('undo-delete', () => void this.#undo());
    this.#onAction('export-csv', () => void this.#exportAll('csv'));
    this.#onAction('export-json', () => void this.#exportAll('json'));
    this.#stops.push(() => list.removeEventListener('click', onClick));
    void getRunStore().then((store) => {
      if (this.#stops.length === 0) return;
      this.#store = store;
      this.#stops.push(store.onChange((id, entry) => this.#changed(id, entry)));
      void this.#load();
    });
  }

  disconnectedCallback(): void {
    this.#stops.forEach((stop) => stop());
    this.#stops = [];
  }

  #el(selector: string): HTMLElement {
    return requireElement(this, selector, HTMLElement);
  }

  #onAction(action: string, handler: () => void): void {
    requireElement(this, `button[data-action="${action}"]`, HTMLButtonElement).addEventListener('click', handler);
  }

  async #load(): Promise<void> {
    if (!this.#store) return;
    const page = await this.#store.entries({ widget: this.#widget }, this.#groups ? {} : { limit: this.#pageSize });
    this.#entries = page.entries;
    this.#total = page.total;
    this.#groupsShown = this.#pageSize;
    this.#render();
  }

  async #more(): Promise<void> {
    if (this.#groups) {
      this.#groupsShown += this.#pageSize;
      return this.#render();
    }
    if (!this.#store) return;
    const page = await this.#store.entries({ widget: this.#widget }, { offset: this.#entries.length, limit: this.#pageSize });
    const known = new Set(this.#entries.map((e) => e.id));
    this.#entries.push(...page.entries.filter((e) => !known.has(e.id)));
    this.#total = page.total;
    this.#render();
  }

  /** A put or delete in this tab: one row replaced, added or removed (the groups list redraws its few rows). */
  #changed(id: string, entry: StoredRun | null): void {
    if (entry?.readable && this.#widget !== undefined && entry.record.widget !== this.#widget) return;
    const at = this.#entries.findIndex((e) => e.id === id);
    if (entry === null) {
      if (at < 0) return;
      this.#entries.splice(at, 1);
      this.#total -= 1;
    } else if (at >= 0) {
      this.#entries[at] = entry;
    } else {
      this.#entries.unshift(entry);
      this.#total += 1;
    }
    if (this.#groups) return this.#render();
    const list = this.#el('[data-history]');
    const old = list.querySelector<HTMLElement>(`li[data-row-id="${CSS.escape(id)}"]`);
    if (entry === null) {
      old?.remove();
      this.#rows.delete(id);
    } else {
      const view = runRow(entry, this.#actions);
      const shown = this.#rows.get(id);
      this.#rows.set(id, view);
      if (!old) list.prepend(this.#rowElement(view));
      else if (!shown || signature(shown) !== signature(view)) old.replaceWith(this.#rowElement(view));
    }
    this.#renderMeta();
  }

  #render(): void {
    const views = this.#groups
      ? groupRows(this.#entries, this.#actions).slice(0, this.#groupsShown)
      : this.#entries.map((e) => runRow(e, this.#actions));
    this.#rows = new Map(views.map((v) => [v.id, v]));
    this.#el('[data-history]').replaceChildren(...views.map((v) => this.#rowElement(v)));
    this.#renderMeta();
  }

  /** The lines around the list; each is written only when it changes (this runs on every save of a live run). */
  #renderMeta(): void {
    const unreadable = this.#entries.filter((e) => !e.readable).length;
    const problem = this.#el('[data-history-problem]');
    setText(problem, problemText(unreadable));
    problem.hidden = unreadable === 0;
    const failed = this.#entries.find((e) => e.readable && e.saveError?.inPage);
    setText(
      this.#el('[data-history-note]'),
      noteText(this.#store?.persistent ?? true, failed?.readable ? (failed.saveError?.reason ?? null) : null),
    );
    const rows = this.#groups ? groupRows(this.#entries, []).length : this.#total;
    const shown = this.#el('[data-history]').children.length;
    this.#el('[data-history-more]').hidden = shown >= rows;
    setText(this.#el('[data-history-count]'), `Showing ${shown} of ${rows}${this.#groups ? ' saved sweeps' : ' saved runs'}.`);
    for (const format of ['csv', 'json'])
      requireElement(this, `button[data-action="export-${format}"]`, HTMLButtonElement).disabled = this.#total === 0;
  }

  #rowElement(view: RowView): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset.rowId = view.id;
    li.dataset[this.#groups && view.state === 'group' ? 'group' : 'runId'] = view.id;
    li.dataset.state = view.state;
    const span = (className: string, text: string) => {
      const s = document.createElement('span');
      s.className = className;
      s.textContent = text;
      return s;
    };
    li.append(span('run-label', view.label));
    if (view.stateText) li.append(span('run-state', view.stateText));
    if (view.time && view.timeText) {
      const when = document.createElement('time');
      when.dateTime = view.time;
      when.textContent = view.timeText;
      li.append(when);
    }
    if (view.result) li.append(span('run-result', view.result));
    if (view.reason) li.append(span('run-reason', view.reason));
    for (const action of view.actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.historyAction = action;
      button.textContent = actionLabels[action];
      button.setAttribute('aria-label', `${actionLabels[action]}: ${view.label}${view.stateText ? `, ${view.state}` : ''}`);
      // A toggle: drawn next to the run on screen, for comparison, until pressed again.
      if (action === 'overlay') button.setAttribute('aria-pressed', String(this.#pressed.has(view.id)));
      button.disabled = view.disabled.includes(action);
      li.append(button);
    }
    return li;
  }

  async #act(action: RowAction, row: RowView, button: HTMLButtonElement): Promise<void> {
    switch (action) {
      case 'csv':
      case 'json':
        if (row.records.length > 0) downloadRuns(row.records, action);
        return;
      case 'overlay': {
        const pressed = !this.#pressed.delete(row.id);
        if (pressed) this.#pressed.add(row.id);
        button.setAttribute('aria-pressed', String(pressed));
        return this.#tell({ action, id: row.id, records: row.records, pressed });
      }
      case 'show':
        return this.#tell({ action, id: row.id, records: row.records, pressed: false });
      case 'delete': {
        if (!this.#store) return;
        for (const key of row.keys) await this.#store.delete(key);
        this.#deleted = row.records;
        this.#pressed.delete(row.id);
        this.#el('[data-undo-text]').textContent =
          row.records.length > 0
            ? `Deleted “${row.label}”${row.timeText ? ` (${row.timeText})` : ''}.`
            : `Deleted ${row.label.toLowerCase()}.`;
        requireElement(this, 'button[data-action="undo-delete"]', HTMLButtonElement).hidden = row.records.length === 0;
        this.#el('[data-undo]').hidden = false;
        return this.#tell({ action, id: row.id, records: row.records, pressed: false });
      }
    }
  }

  #tell(detail: SavedRunsAction): void {
    this.dispatchEvent(new CustomEvent<SavedRunsAction>(savedRunsEvent, { bubbles: true, detail }));
  }

  /** Puts the runs deleted last back (an unreadable record is not restored). */
  async #undo(): Promise<void> {
    const records = this.#deleted;
    this.#deleted = [];
    this.#el('[data-undo]').hidden = true;
    for (const record of records) await this.#store?.put(record).catch(() => undefined); // a failed put keeps it listed in the page
  }

  /** Every readable run of this list, as one file; unreadable records are skipped and counted. */
  async #exportAll(format: 'csv' | 'json'): Promise<void> {
    if (!this.#store) return;
    const { entries } = await this.#store.entries({ widget: this.#widget });
    const records = entries.flatMap((e) => (e.readable && (!this.#groups || e.record.group !== null) ? [e.record] : []));
    if (records.length > 0) downloadRuns(records, format);
    this.#el('[data-export-note]').textContent = exportText(records.length, entries.filter((e) => !e.readable).length);
  }
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** What a row shows: an update that changes none of it leaves the row alone. */
function signature(view: RowView): string {
  return [view.state, view.stateText, view.label, view.result, view.disabled.join()].join('\u0000');
}

if (!customElements.get('nn-saved-runs')) customElements.define('nn-saved-runs', SavedRunsElement);
