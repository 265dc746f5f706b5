import { describe, expect, it } from 'vitest';
import {
  codeCellHeight,
  controlLabel,
  experimentHeight,
  heightMessage,
  iframeSnippet,
  missingFromCatalog,
  resizeScript,
} from './embed-catalog';

describe('the embed catalog', () => {
  it('missingFromCatalog(entries) lists widgets without a height and controls without a label', () => {
    expect(missingFromCatalog([{ name: 'bn-explorer', controls: ['gamma', 'actions'] }])).toEqual([]);
    expect(missingFromCatalog([{ name: 'new-widget', controls: ['speed'] }])).toEqual(['new-widget: height', 'new-widget: speed']);
  });

  it('controlLabel(widget, name) gives the visible label, group names a description, unknown names themselves', () => {
    expect(controlLabel('bn-explorer', 'gamma')).toBe('Scale γ');
    expect(controlLabel('bn-explorer', 'actions')).toMatch(/action buttons/);
    expect(controlLabel('bn-explorer', 'nope')).toBe('nope');
  });

  it('heightMessage rounds up and rejects a height that is not a finite number', () => {
    expect(heightMessage('training-run', 1201.2)).toEqual({ type: 'normlab:height', widget: 'training-run', height: 1202 });
    expect(() => heightMessage('x', Number.NaN)).toThrow(/received NaN/);
  });

  it('the LMS script trusts only the given origin, and the snippet carries the fallback height', () => {
    expect(resizeScript('https://course.example')).toContain(`event.origin !== 'https://course.example'`);
    expect(iframeSnippet('https://course.example/embed/bn-explorer/', 'BN', 900)).toBe(
      '<iframe src="https://course.example/embed/bn-explorer/" title="BN" width="100%" height="900" style="border:0" loading="lazy"></iframe>',
    );
    expect(iframeSnippet('https://course.example/embed/code-cell/x/', 'Code: "a" & <b>', 800)).toContain(
      'title="Code: &quot;a&quot; &amp; &lt;b>"',
    );
  });

  it('fallback heights of experiments and code cells grow with a trace chart, the starter code, a task and the training panel', () => {
    expect(experimentHeight(true)).toBeGreaterThan(experimentHeight(false));
    // Measured at 800 px: the compact-dx cell (7 lines) 477 px, grad-check (34 lines) 1041, bn-backward (14, task, train) 1100.
    expect(codeCellHeight({ starterLines: 7, task: false, train: false })).toBe(480);
    expect(codeCellHeight({ starterLines: 34, task: false, train: false })).toBe(1060);
    expect(codeCellHeight({ starterLines: 14, task: true, train: true })).toBe(1120);
  });
});
