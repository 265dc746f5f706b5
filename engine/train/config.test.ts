import { describe, expect, it } from 'vitest';
import { checkSetting, defaultTrainConfig, parseLiveSettings, parseTrainConfig, type TrainConfig } from './config.ts';

describe('train config', () => {
  it('has the expected defaults: the classic assignment', () => {
    expect(defaultTrainConfig).toEqual({
      model: 'mlp',
      conv: [8, 16],
      kernel: 3,
      padding: 'valid',
      hidden: [128],
      activation: 'relu',
      norm: 'none',
      normPlacement: 'before-activation',
      dropout: 0.2,
      dropoutPlacement: 'after-norm',
      init: 'glorot-uniform',
      initScale: 1,
      optimizer: 'adam',
      lr: 1e-3,
      momentum: 0,
      bnMomentum: 0.99,
      epsilon: 1e-3,
      bnNoise: 0,
      bnAblation: 'full',
      weightDecay: 0,
      l2: 0,
      clipNorm: null,
      clipValue: null,
      divergeAbove: 1000,
      batchSize: 32,
      epochs: 5,
      seed: 1,
      trainLimit: null,
      dataOrder: 'shuffle-each-epoch',
      backend: 'wasm', // Node 20 runs WebAssembly SIMD
    });
  });

  it('parseTrainConfig(partial) merges over the defaults without sharing arrays', () => {
    const c = parseTrainConfig({ norm: 'batch', hidden: [64, 32] });
    expect(c).toMatchObject({ norm: 'batch', hidden: [64, 32], batchSize: 32 });
    c.hidden.push(1);
    expect(defaultTrainConfig.hidden).toEqual([128]);
  });

  it('parseTrainConfig rejects bad values naming the field, the value and the range', () => {
    expect(() => parseTrainConfig({ lr: -1 })).toThrow(/lr must be in \(0, 10\], received -1/);
    expect(() => parseTrainConfig({ norm: 'layers' })).toThrow(/norm must be 'none', 'batch', 'layer' or 'group:G' .*, received 'layers'/);
    expect(() => parseTrainConfig({ norm: 'group:0' })).toThrow(/received 'group:0'/);
    expect(() => parseTrainConfig({ batchSize: 0 })).toThrow(/batchSize must be an integer in \[1, 4096\], received 0/);
    expect(() => parseTrainConfig({ hidden: [] })).toThrow(/hidden must be a list of 1–16 layer widths/);
    expect(() => parseTrainConfig({ colour: 'red' })).toThrow(/unknown setting 'colour'/);
    expect(() => parseTrainConfig('fast')).toThrow(/expected an object of settings, received 'fast'/);
  });

  it('parseTrainConfig takes a BN ablation with norm batch only, and rejects an unknown one', () => {
    expect(parseTrainConfig({ norm: 'batch', bnAblation: 'center' })).toMatchObject({ norm: 'batch', bnAblation: 'center' });
    expect(() => parseTrainConfig({ bnAblation: 'scale' })).toThrow(
      "train config: bnAblation 'scale' changes the BN layers, so it needs norm 'batch', received norm 'none'",
    );
    expect(() => parseTrainConfig({ norm: 'batch', bnAblation: 'gamma' })).toThrow(
      "train config: bnAblation must be one of 'full', 'center', 'scale', 'frozen-affine', received 'gamma'",
    );
    // Scaling only keeps a single row's value (x/√ε), so batch 1 is allowed there alone.
    expect(parseTrainConfig({ norm: 'batch', bnAblation: 'scale', batchSize: 1 }).batchSize).toBe(1);
    expect(() => parseTrainConfig({ norm: 'batch', bnAblation: 'center', batchSize: 1 })).toThrow(/batchSize 1 with norm 'batch'/);
  });

  it('parseTrainConfig rejects settings the chosen optimizer would ignore', () => {
    expect(() => parseTrainConfig({ weightDecay: 0.01 })).toThrow(/weightDecay \(decoupled\) needs optimizer 'adamw'/);
    expect(() => parseTrainConfig({ optimizer: 'adamw', l2: 0.01 })).toThrow(/l2 \(coupled\) applies to 'adam' and 'sgd'/);
    expect(() => parseTrainConfig({ momentum: 0.9 })).toThrow(/momentum is SGD's/);
    expect(parseTrainConfig({ optimizer: 'sgd', momentum: 0.9, l2: 1e-4 })).toMatchObject({ optimizer: 'sgd', momentum: 0.9 });
  });

  it('parseLiveSettings accepts only what can change mid-run', () => {
    expect(parseLiveSettings({ lr: 0.01, clipNorm: null })).toEqual({ lr: 0.01, clipNorm: null });
    expect(() => parseLiveSettings({ batchSize: 64 })).toThrow(/'batchSize' cannot change during a run/);
    expect(() => parseLiveSettings({ dropout: 1.2 })).toThrow(/dropout must be in \[0, 1\), received 1.2/);
  });
  it('parseTrainConfig rejects batch 1 with BN in training mode and checks the architecture fields', () => {
    expect(() => parseTrainConfig({ norm: 'batch', batchSize: 1 })).toThrow(
      /batchSize 1 with norm 'batch' cannot train .* received batchSize 1/,
    );
    expect(parseTrainConfig({ norm: 'none', batchSize: 1 }).batchSize).toBe(1);
    expect(() => parseTrainConfig({ initScale: 0 })).toThrow(/initScale must be in \[0.001, 1000\], received 0/);
    expect(() => parseTrainConfig({ dropoutPlacement: 'middle' })).toThrow(
      /dropoutPlacement must be one of 'after-norm', 'before-norm', received 'middle'/,
    );
    expect(parseTrainConfig({ initScale: 10, dropoutPlacement: 'before-norm' })).toMatchObject({
      initScale: 10,
      dropoutPlacement: 'before-norm',
    });
  });

  it('parseTrainConfig takes one of four data orders and names the bad value with the four it expects', () => {
    for (const dataOrder of ['shuffle-each-epoch', 'shuffle-once', 'sorted-by-class', 'one-class-per-batch'] as const)
      expect(parseTrainConfig({ dataOrder }).dataOrder).toBe(dataOrder);
    expect(() => parseTrainConfig({ dataOrder: 'shuffled' })).toThrow(
      /dataOrder must be one of 'shuffle-each-epoch', 'shuffle-once', 'sorted-by-class', 'one-class-per-batch', received 'shuffled'/,
    );
    expect(() => parseTrainConfig({ dataOrder: 3 })).toThrow(/dataOrder must be one of .*, received 3/);
  });

  it('parseTrainConfig accepts only its own setting names, never inherited ones like constructor or __proto__', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf']) {
      expect(() => parseTrainConfig(JSON.parse(`{"${key}": 1}`)), key).toThrow(new RegExp(`unknown setting '${key}'`));
      expect(() => checkSetting(key as keyof TrainConfig, 1), key).toThrow(/unknown setting/);
    }
    expect(() => parseLiveSettings({ constructor: 1 })).toThrow(/'constructor' cannot change during a run/);
  });

  it('parseTrainConfig caps trainLimit at the 54,000 training images and echoes a huge key briefly', () => {
    expect(() => parseTrainConfig({ trainLimit: 60000 })).toThrow(/trainLimit must be an integer in \[1, 54000\], received 60000/);
    expect(parseTrainConfig({ trainLimit: 54000 }).trainLimit).toBe(54000);
    const message = (() => {
      try {
        parseTrainConfig({ ['k'.repeat(100_000)]: 1 });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message.length).toBeLessThan(500);
  });

  it("parseTrainConfig describes ConvNets: model 'cnn' defaults to conv [8, 16], 3×3 valid, no hidden Dense layer", () => {
    expect(parseTrainConfig({ model: 'cnn' })).toMatchObject({ model: 'cnn', conv: [8, 16], kernel: 3, padding: 'valid', hidden: [] });
    expect(parseTrainConfig({ model: 'cnn', hidden: [64], kernel: 5, padding: 'same', norm: 'group:4' })).toMatchObject({
      hidden: [64],
      kernel: 5,
      padding: 'same',
      norm: 'group:4',
    });
    // A full config, as the parser returns it, parses again to itself (the worker receives those).
    const full = parseTrainConfig({ model: 'cnn', norm: 'layer' });
    expect(parseTrainConfig(full)).toEqual(full);
    expect(parseTrainConfig(parseTrainConfig({ norm: 'batch' }))).toEqual(parseTrainConfig({ norm: 'batch' }));
  });

  it('parseTrainConfig rejects conv settings for an MLP, an MLP without hidden layers and groups that do not divide a width', () => {
    expect(() => parseTrainConfig({ conv: [4] })).toThrow(/conv configure the conv blocks of model 'cnn', received model 'mlp'/);
    expect(() => parseTrainConfig({ kernel: 5, padding: 'same' })).toThrow(/kernel, padding configure the conv blocks/);
    expect(() => parseTrainConfig({ model: 'cnn', kernel: 4 })).toThrow(/kernel must be 3 or 5, received 4/);
    expect(() => parseTrainConfig({ model: 'cnn', norm: 'group:3' })).toThrow(
      /norm 'group:3' splits every layer into 3 groups, so conv\[0\] must be divisible by 3, received 8/,
    );
    expect(() => parseTrainConfig({ norm: 'group:3' })).toThrow(/hidden\[0\] must be divisible by 3, received 128/);
    expect(parseTrainConfig({ norm: 'group:4' }).norm).toBe('group:4');
    // Spatial BN has R·S values per channel even for one image; only a Dense BN needs two images.
    expect(parseTrainConfig({ model: 'cnn', norm: 'batch', batchSize: 1 }).batchSize).toBe(1);
    expect(() => parseTrainConfig({ model: 'cnn', hidden: [32], norm: 'batch', batchSize: 1 })).toThrow(/batchSize 1 with norm 'batch'/);
  });
});
