/** The identical-batch table as text: one row per weight tensor, one column per case. */
import { formatNorm, type Case } from './model';

export const columns: readonly string[] = ['no BN, 32 different', 'no BN, 1 repeated', 'BN, 32 different', 'BN, 1 repeated'];

/** Rows in the BN model's layer order; a tensor a model does not have shows "—". */
export function tableRows(cases: readonly Case[]): { tensor: string; cells: string[] }[] {
  if (cases.length !== columns.length)
    throw new RangeError(`identical batch: the table needs ${columns.length} cases, received ${cases.length}`);
  const order = [...new Set(cases.flatMap((c) => c.rows.map((r) => r.tensor)))];
  const bnOrder = cases.find((c) => c.norm === 'batch')?.rows.map((r) => r.tensor) ?? order;
  return bnOrder.map((tensor) => ({
    tensor,
    cells: cases.map((c) => {
      const row = c.rows.find((r) => r.tensor === tensor);
      return row ? formatNorm(row.norm) : '—';
    }),
  }));
}
