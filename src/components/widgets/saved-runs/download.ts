/** Saves runs as a file the reader downloads (CSV or JSON, see `@client/run-export`). */
import type { RunRecord } from '@client/run-record';
import { exportFileName, runsToCsv, runsToJson } from '@client/run-export';

export function downloadRuns(records: readonly RunRecord[], format: 'csv' | 'json'): void {
  const text = format === 'csv' ? runsToCsv(records) : runsToJson(records);
  const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = exportFileName(records, format);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
