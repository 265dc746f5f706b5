/**
 * The explorer's three histograms as data: which values each shows and how. The custom element
 * draws them live; BnExplorer.astro draws the same three at build time, so the first view (and a
 * reader without JavaScript) has real charts.
 */
import type { ChartColors } from '@charts/colors';
import type { HistogramMarker, HistogramOptions } from '@charts/histogram';
import type { distributions } from '../../../lib/bn-transform';
import { fmt, moved, worked, type Exploration, type State } from './model';

export interface ExplorerChart {
  name: 'x' | 'xhat' | 'y';
  values: Float64Array;
  options: HistogramOptions;
}

export function explorerCharts(s: State, view: Exploration, colors: ChartColors): ExplorerChart[] {
  const { x, result, valueDomain, xhatDomain } = view;
  const label = distributionLabel(s.dist);
  return [
    {
      name: 'x',
      values: x,
      options: {
        colors,
        fill: colors.x,
        label: 'x',
        domain: valueDomain,
        markers: samples(x, 'x'),
        ariaLabel: `Histogram of the input batch x (${s.n} values, ${label})`,
        ariaDescription: `Values from ${fmt(Math.min(...x))} to ${fmt(Math.max(...x))}; batch mean μ = ${fmt(result.mean)}, variance σ² = ${fmt(result.variance)}.`,
      },
    },
    {
      name: 'xhat',
      values: result.xhat,
      options: {
        colors,
        fill: colors.xhat,
        label: 'x̂',
        domain: xhatDomain,
        markers: samples(result.xhat, 'x̂'),
        ariaLabel: 'Histogram of the normalized batch x̂',
        ariaDescription: `Centred on 0 with variance ${fmt(result.variance / (result.variance + s.eps), 3)}; same shape as x.`,
      },
    },
    {
      name: 'y',
      values: result.y,
      options: {
        colors,
        fill: colors.y,
        label: 'y',
        domain: valueDomain,
        markers: samples(result.y, 'y'),
        ariaLabel: `Histogram of the output y with γ = ${fmt(s.gamma)} and β = ${fmt(s.beta)}`,
        ariaDescription: view.recovered
          ? 'Identical to the input x.'
          : `Centred on β = ${fmt(s.beta)}, spread scaled by |γ| = ${fmt(Math.abs(s.gamma))}.`,
      },
    },
  ];
}

/** Marks the moved sample (subscript 1) and the worked one (subscript 2) on a histogram. */
function samples(values: Float64Array, symbol: string): HistogramMarker[] {
  return [
    { value: values[moved], label: `${symbol}₁` },
    { value: values[worked], label: `${symbol}₂` },
  ];
}

function distributionLabel(dist: (typeof distributions)[number]): string {
  return dist === 'shifted' ? 'shifted and scaled normal' : dist;
}
