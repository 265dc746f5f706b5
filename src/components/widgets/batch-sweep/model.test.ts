import { describe, expect, test } from 'vitest';
import { defaultState, formatState, parseState } from '../params';
import { accuracySummary, entryConfig, normsOf, schema, timeSummary } from './model';
import { markEnded, markRunning, planQueue } from './queue';

const state = defaultState(schema);

describe('batch-sweep model', () => {
  test('has the expected defaults: all five batch sizes, both norms, 3,000 images, 1 epoch', () => {
    expect(state).toEqual({ images: 3000, epochs: 1, sizes: [16, 32, 64, 128, 256], norms: 'both', seed: 1 });
  });

  test('the batch-size list round-trips through text and rejects sizes outside the sweep', () => {
    const text = formatState(schema, { ...state, sizes: [16, 256] });
    expect(text.sizes).toBe('16,256');
    const read = (sizes: string) => parseState(schema, (k) => (k === 'sizes' ? sizes : null)).sizes;
    expect(read('256,16,16')).toEqual([16, 256]);
    expect(read('16,48')).toEqual([16, 32, 64, 128, 256]);
    expect(read('')).toEqual([16, 32, 64, 128, 256]);
  });

  test('entryConfig is the classic assignment with the entry’s batch size and norm', () => {
    expect(entryConfig(state, { batchSize: 128, norm: 'batch' })).toMatchObject({ batchSize: 128, norm: 'batch', epochs: 1, trainLimit: 3000, hidden: [128], optimizer: 'adam', lr: 0.001 });
    expect(entryConfig({ ...state, images: 54_000 }, { batchSize: 16, norm: 'none' }).trainLimit).toBeNull();
    expect(normsOf({ ...state, norms: 'batch' })).toEqual(['batch']);
  });

  test('the summaries name the best and worst batch size per norm and the time range', () => {
    let q = planQueue([16, 256], ['none']);
    expect(accuracySummary(q)).toMatch(/^No finished runs yet/);
    const end = (key: string, accuracy: number, seconds: number) => {
      q = markEnded(markRunning(q, key, key), key, 'finished', {
        steps: 1, epochs: 1, seconds, samplesPerSecond: 1, train: null, validation: { loss: 0.1, accuracy }, test: null, diverged: null, error: null,
      });
    };
    end('b16-none', 0.95, 3);
    end('b256-none', 0.9, 1);
    expect(accuracySummary(q)).toBe('Final validation accuracy — no BN: highest 95.00 % at batch 16, lowest 90.00 % at batch 256 (2 of 2 runs done).');
    expect(timeSummary(q)).toBe('Time per epoch from 1.00 s (no BN, batch 256) to 3.00 s (no BN, batch 16); smaller batches take more steps per epoch.');
  });
});
