/**
 * Every widget's settings schema reads back what it writes: each default, formatted for a link and
 * parsed again, is accepted (a control's grid or list that left out its own default would refuse
 * a link the widget itself wrote).
 */
import { describe, expect, it } from 'vitest';
import { defaultState, formatState, parseState, type Schema } from './params';
import { schema as batchSweep } from './batch-sweep/model';
import { schema as space } from './batches-in-space/model';
import { schema as explorer } from './bn-explorer/model';
import { schema as gradient } from './bn-gradient/model';
import { schema as bnVsNone } from './bn-vs-none/model';
import { schema as clipTrace } from './clip-trace/model';
import { schema as masks } from './dropout-masks/model';
import { schema as diagnostics } from './layer-diagnostics/model';
import { schema as stats } from './running-stats/model';
import { schema as training } from './training-run/model';

const schemas: Record<string, Schema> = { batchSweep, space, explorer, gradient, bnVsNone, clipTrace, masks, diagnostics, stats, training };

describe('widget schemas', () => {
  it.each(Object.entries(schemas))('%s: every default survives a link (format, then parse)', (_name, schema) => {
    const defaults = defaultState(schema);
    const text = formatState(schema, defaults);
    for (const [key, param] of Object.entries(schema)) {
      expect(param.parse(text[key]), `${key}=${text[key]}`).not.toBeUndefined();
    }
    expect(parseState(schema, (key) => text[key])).toEqual(defaults);
  });
});
