/** What a cell shows under its code: console lines, the last value, errors and the check table. */
import type { CheckReport } from '../../exercises/check-cell';
import type { StageResult } from '../../exercises/compare';
import type { CellError } from '../../exercises/run-code';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | null, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatRelError(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return v === 0 ? '0' : v.toExponential(1);
}

function logsBlock(logs: string[], value: string | null): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (logs.length) parts.push(el('pre', 'code-cell-logs', logs.join('\n')));
  if (value !== null) parts.push(el('pre', 'code-cell-value', `→ ${value}`));
  return parts;
}

/** Said under the output when the sandbox or the page cut it to the caps. */
function cutNote(cut: boolean): HTMLElement[] {
  if (!cut) return [];
  const note = el(
    'p',
    'code-cell-note',
    'Output cut: a cell shows at most 200 lines, 20,000 characters of messages and 10,000 of the last value.',
  );
  note.dataset.cut = '';
  return [note];
}

export function renderRun(out: HTMLElement, logs: string[], value: string | null, cut = false): void {
  const parts = logsBlock(logs, value);
  out.replaceChildren(
    ...(parts.length
      ? parts
      : [el('p', 'code-cell-note', 'Ran without output. The value of the last line is shown here when it is an expression.')]),
    ...cutNote(cut),
  );
}

/** After a redeploy the page's lazily loaded files are gone: say so and offer a reload. */
export function renderSiteUpdated(out: HTMLElement, message: string): void {
  const box = el('div', 'code-cell-error code-cell-error--updated');
  box.setAttribute('role', 'alert');
  const reload = el('button', null, 'Reload');
  reload.type = 'button';
  reload.dataset.reload = '';
  reload.addEventListener('click', () => location.reload());
  box.append(el('strong', null, 'Site updated. '), document.createTextNode(`${message} `), reload);
  out.replaceChildren(box);
}

export function renderError(
  out: HTMLElement,
  error: CellError,
  logs: string[],
  kind: 'error' | 'csp' | 'data' | 'timeout',
  cut = false,
): void {
  const box = el('div', `code-cell-error code-cell-error--${kind}`);
  box.setAttribute('role', 'alert');
  const where = error.line === null ? '' : `Line ${error.line}: `;
  box.append(
    el('strong', null, kind === 'timeout' ? 'Stopped. ' : kind === 'csp' ? 'Code cells are switched off here. ' : 'Error. '),
    document.createTextNode(`${where}${error.message}`),
  );
  out.replaceChildren(...logsBlock(logs, null), box, ...cutNote(cut));
}

function stageRow(s: StageResult): HTMLTableRowElement {
  const row = el('tr', s.pass ? 'pass' : 'fail');
  row.append(
    el('td', null, s.case),
    el('td', null, s.stage),
    el('td', 'num', formatRelError(s.relError)),
    el('td', null, s.pass ? '✓ pass' : `✗ ${s.message}`),
  );
  return row;
}

export function renderCheck(out: HTMLElement, report: CheckReport, cut = false): void {
  const failed = report.stages.filter((s) => !s.pass);
  const worst = Math.max(0, ...report.stages.filter((s) => s.pass).map((s) => s.relError));
  const summary = el('p', `code-cell-verdict ${report.pass ? 'pass' : 'fail'}`);
  summary.setAttribute('data-verdict', report.pass ? 'pass' : 'fail');
  if (report.pass) {
    summary.textContent = `✓ All ${report.stages.length} stages pass (largest relative error ${formatRelError(worst)}, threshold 1e-5).`;
  } else {
    const first = failed[0];
    summary.textContent = `✗ ${failed.length} of ${report.stages.length} stages fail. First: ${first.stage} on “${first.case}” — ${first.message}`;
  }
  const table = el('table', 'code-cell-stages');
  const caption = el('caption', 'visually-hidden', 'Each stage checked against the engine: case, stage, relative error, result');
  const head = el('tr', null);
  for (const h of ['case', 'stage', 'rel. error', 'result']) head.append(el('th', null, h));
  table.append(caption, el('thead', null), el('tbody', null));
  table.tHead!.append(head);
  table.tBodies[0].append(...report.stages.map(stageRow));
  out.replaceChildren(summary, ...logsBlock(report.logs, null), ...cutNote(cut), table);
}
