import { describe, expect, it } from 'vitest';
import { parseArgs, usage } from './args.ts';

describe('CLI flags', () => {
  it('parseArgs([]) gives the classic assignment', () => {
    const { config, json } = parseArgs([]);
    expect(config).toMatchObject({
      hidden: [128],
      norm: 'none',
      dropout: 0.2,
      optimizer: 'adam',
      lr: 0.001,
      batchSize: 32,
      epochs: 5,
      seed: 1,
    });
    expect(json).toBe(false);
  });

  it('parseArgs reads every flag form', () => {
    const { config, json } = parseArgs([
      '--norm',
      'batch',
      '--norm-placement=after',
      '--hidden',
      '128,128,128,128',
      '--batch-size',
      '128',
      '--clip-norm',
      '1',
      '--train-limit',
      '2000',
      '--json',
    ]);
    expect(config).toMatchObject({
      norm: 'batch',
      normPlacement: 'after-activation',
      hidden: [128, 128, 128, 128],
      batchSize: 128,
      clipNorm: 1,
      trainLimit: 2000,
    });
    expect(json).toBe(true);
  });

  it('parseArgs names the flag and what it accepts when a value is bad', () => {
    expect(() => parseArgs(['--dropout', '1.2'])).toThrow(/--dropout: must be in \[0, 1\), received 1.2 \(rate in \[0, 1\)/);
    expect(() => parseArgs(['--norm', 'layers'])).toThrow(/--norm: must be 'none', 'batch', 'layer' or 'group:G' .*, received 'layers'/);
    expect(() => parseArgs(['--lr', 'fast'])).toThrow(/--lr expects a decimal number such as 0.001 or 1e-3, received 'fast'/);
    expect(() => parseArgs(['--hidden', '128,x'])).toThrow(/--hidden expects layer widths separated by commas/);
    expect(() => parseArgs(['--epochs'])).toThrow(/--epochs needs a value/);
    expect(() => parseArgs(['--colour', 'red'])).toThrow(/unknown flag '--colour'/);
  });

  it('parseArgs speaks in flags for settings the optimizer would ignore', () => {
    expect(() => parseArgs(['--weight-decay', '0.01'])).toThrow(/--weight-decay \(decoupled\) needs --optimizer 'adamw'/);
  });

  it('parseArgs takes only plain decimal numbers: hex, binary and padded values are refused', () => {
    for (const raw of ['0x1', '0x10', '0b1', ' 1e1 ', '1e1 ', '', 'Infinity', '1_000']) {
      expect(() => parseArgs(['--lr', raw]), raw).toThrow(/--lr expects a decimal number/);
    }
    expect(parseArgs(['--lr', '1e-2']).config.lr).toBe(0.01);
    expect(parseArgs(['--lr', '.5']).config.lr).toBe(0.5);
  });

  it('parseArgs echoes at most a short piece of a huge bad value', () => {
    const huge = 'x'.repeat(1_000_000);
    let message = '';
    try {
      parseArgs(['--lr', huge]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('(1000000 characters)');
  });

  it('parseArgs refuses --train-limit above the 54,000 training images', () => {
    expect(() => parseArgs(['--train-limit', '54001'])).toThrow(/--train-limit: must be an integer in \[1, 54000\], received 54001/);
    expect(parseArgs(['--train-limit', '54000']).config.trainLimit).toBe(54000);
  });

  it('parseArgs reads --drift K, --intensity, --bn-noise and --bn-ablation, and refuses a --drift without a layer before it', () => {
    const o = parseArgs(['--hidden', '128,128', '--drift', '3', '--intensity', '--norm', 'batch', '--bn-noise', '0.5']);
    expect(o).toMatchObject({ driftLayer: 3, intensity: true, config: { bnNoise: 0.5 } });
    expect(parseArgs([])).toMatchObject({ driftLayer: null, intensity: false, config: { bnNoise: 0 } });
    expect(parseArgs(['--norm', 'batch', '--bn-ablation', 'frozen-affine'])).toMatchObject({ config: { bnAblation: 'frozen-affine' } });
    expect(() => parseArgs(['--bn-ablation', 'center'])).toThrow(/bnAblation 'center' changes the BN layers, so it needs norm 'batch'/);
    expect(() => parseArgs(['--drift', '1'])).toThrow(
      "--drift expects the number of a Dense layer with a layer before it (2 or more), received '1'",
    );
    expect(() => parseArgs(['--drift'])).toThrow(/received ''/);
    expect(() => parseArgs(['--bn-noise', '11'])).toThrow(/--bn-noise: must be in \[0, 10\], received 11/);
  });

  it('parseArgs reads --data-order and refuses an order it does not know, listing the four', () => {
    expect(parseArgs(['--data-order', 'sorted-by-class']).config.dataOrder).toBe('sorted-by-class');
    expect(parseArgs(['--data-order=one-class-per-batch']).config.dataOrder).toBe('one-class-per-batch');
    expect(parseArgs([]).config.dataOrder).toBe('shuffle-each-epoch');
    expect(() => parseArgs(['--data-order', 'sorted'])).toThrow(
      /--data-order: must be one of 'shuffle-each-epoch', 'shuffle-once', 'sorted-by-class', 'one-class-per-batch', received 'sorted'/,
    );
  });

  it('parseArgs reads --ensemble as a list of mask counts and refuses anything else', () => {
    expect(parseArgs(['--ensemble', '1,10,100']).ensemble).toEqual([1, 10, 100]);
    expect(parseArgs(['--ensemble=5']).ensemble).toEqual([5]);
    expect(parseArgs([]).ensemble).toBeNull();
    const expected =
      '--ensemble expects 1 to 8 strictly ascending numbers of masks from 1 to 10000 separated by commas, such as 1,10,100, received';
    for (const raw of ['ten', '0', '1,1', '10,1', '100000', '1,,2', '-1', '1,2,3,4,5,6,7,8,9'])
      expect(() => parseArgs(['--ensemble', raw]), raw).toThrow(`${expected} '${raw}'`);
    expect(() => parseArgs(['--ensemble'])).toThrow(`${expected} ''`);
  });

  it('parseArgs refuses a test the model cannot take instead of skipping it after training', () => {
    expect(() => parseArgs(['--ensemble', '1,10', '--dropout', '0'])).toThrow(
      '--ensemble samples dropout masks and needs --dropout above 0, received --dropout 0',
    );
    expect(() => parseArgs(['--inference-stats'])).toThrow(
      "--inference-stats tests BN's statistics and needs --norm batch, received --norm none",
    );
    expect(parseArgs(['--inference-stats', '--norm', 'batch', '--ensemble', '1,10'])).toMatchObject({
      inferenceStats: true,
      ensemble: [1, 10],
    });
  });

  it('parseArgs reads --model cnn with --norm batch, layer or group:G and the conv flags, and --help lists them', () => {
    expect(parseArgs(['--model', 'cnn', '--norm', 'batch']).config).toMatchObject({
      model: 'cnn',
      norm: 'batch',
      conv: [8, 16],
      hidden: [],
    });
    expect(parseArgs(['--model=cnn', '--norm=group:4', '--conv', '8,32', '--kernel', '5', '--padding', 'same']).config).toMatchObject({
      norm: 'group:4',
      conv: [8, 32],
      kernel: 5,
      padding: 'same',
    });
    expect(parseArgs(['--norm', 'layer']).config).toMatchObject({ model: 'mlp', norm: 'layer', hidden: [128] });
    expect(() => parseArgs(['--norm', 'group'])).toThrow(/--norm: .*'none', 'batch', 'layer' or 'group:G'.*received 'group'/);
    expect(() => parseArgs(['--model', 'resnet'])).toThrow(/--model: .*'mlp', 'cnn', received 'resnet'/);
    expect(() => parseArgs(['--model', 'cnn', '--norm', 'group:3'])).toThrow(/conv\[0\] must be divisible by 3, received 8/);
    for (const flag of ['--model', '--conv', '--kernel', '--padding', 'group:G']) expect(usage()).toContain(flag);
  });
});
