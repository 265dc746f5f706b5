/**
 * The block as rows of cells (examples × channels), shared by the build-time table (NormAxes.astro)
 * and the element that redraws it (norm-axes.ts): each cell's statistic, whether it shares the
 * selected cell's statistic, and its text (a marker, or the cell's mean with real activations).
 */
import { statisticOf, type Geometry, type Method } from './model';

export interface GridState {
  method: Method;
  groups: number;
  /** The cell whose statistic is shown: example n, channel c. */
  n: number;
  c: number;
}

export interface GridCell {
  n: number;
  c: number;
  stat: number;
  selected: boolean;
  text: string;
}

export function gridRows(g: Geometry, s: GridState, means: number[][] | null = null): GridCell[][] {
  const chosen = statisticOf(s.method, s.groups, g, s.n, s.c);
  return Array.from({ length: g.batch }, (_, n) =>
    Array.from({ length: g.channels }, (_, c) => {
      const stat = statisticOf(s.method, s.groups, g, n, c);
      const selected = stat === chosen;
      const mean = means ? means[n][c].toFixed(1) : null;
      return { n, c, stat, selected, text: mean === null ? (selected ? '●' : '·') : selected ? `●${mean}` : mean };
    }),
  );
}
