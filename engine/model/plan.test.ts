import { describe, expect, it } from 'vitest';
import { createBackend } from '../backend.ts';
import { createRandom } from '../random.ts';
import { countSpec, mlp, summarizeSpec, type MlpSpec } from './mlp.ts';

/** The small ConvNet of the course: conv 8 → norm → relu → pool → conv 16 → norm → relu → pool → dense 10. */
const cnn = (norm: MlpSpec['norm']): MlpSpec => ({
  inputs: 784,
  conv: [{ filters: 8 }, { filters: 16 }],
  hidden: [],
  activation: 'relu',
  norm,
  normPlacement: 'before-activation',
  dropout: 0.2,
  classes: 10,
});

const rowsOf = (spec: MlpSpec) => summarizeSpec(spec).rows.map((r) => `${r.name} ${r.outputShape} ${r.params}`);

describe('model spec: ConvNets', () => {
  it('summarizeSpec of the small ConvNet with BN matches the hand count (Keras rows; convs without bias before BN)', () => {
    // conv2d 3·3·1·8 = 72; BN 4·8 = 32 (γ, β trainable; moving mean, variance not); conv2d_1 3·3·8·16 = 1,152;
    // BN 4·16 = 64; dense (5·5·16)·10 + 10 = 4,010. 28 → 26 → 13 → 11 → 5.
    expect(rowsOf(cnn('batch'))).toEqual([
      'conv2d (None, 26, 26, 8) 72',
      'batch_normalization (None, 26, 26, 8) 32',
      'activation (None, 26, 26, 8) 0',
      'max_pooling2d (None, 13, 13, 8) 0',
      'conv2d_1 (None, 11, 11, 16) 1152',
      'batch_normalization_1 (None, 11, 11, 16) 64',
      'activation_1 (None, 11, 11, 16) 0',
      'max_pooling2d_1 (None, 5, 5, 16) 0',
      'flatten (None, 400) 0',
      'dense (None, 10) 4010',
    ]);
    expect(summarizeSpec(cnn('batch'))).toMatchObject({ trainable: 72 + 16 + 1152 + 32 + 4010, nonTrainable: 16 + 32, total: 5330 });
  });

  it('without a norm the convolutions keep their bias; GroupNorm and LayerNorm have 2 parameters per channel, all trainable', () => {
    expect(summarizeSpec(cnn('none'))).toMatchObject({ total: 80 + 1168 + 4010, nonTrainable: 0 });
    // GroupNorm with 4 groups of 2 or 4 channels does not remove a per-channel bias: the convs keep it.
    expect(rowsOf(cnn('group:4')).slice(0, 2)).toEqual(['conv2d (None, 26, 26, 8) 80', 'group_normalization (None, 26, 26, 8) 16']);
    expect(summarizeSpec(cnn('group:4'))).toMatchObject({ total: 80 + 16 + 1168 + 32 + 4010, nonTrainable: 0 });
    expect(rowsOf(cnn('layer'))[1]).toBe('layer_normalization (None, 26, 26, 8) 16');
    // One group per channel (InstanceNorm) removes the bias as BN does.
    expect(rowsOf({ ...cnn('none'), conv: [{ filters: 8, norm: 'group:8' }, { filters: 16 }] }).slice(0, 2)).toEqual([
      'conv2d (None, 26, 26, 8) 72',
      'group_normalization (None, 26, 26, 8) 16',
    ]);
  });

  it('countSpec gives the forward multiply-adds and activation values per example (hand counts)', () => {
    // MACs: 26·26·8·9 + 11·11·16·72 + 400·10; activations: each layer's output except Flatten's (its input itself).
    const acts = 3 * 26 * 26 * 8 + 13 * 13 * 8 + 3 * 11 * 11 * 16 + 5 * 5 * 16 + 10;
    expect(countSpec(cnn('batch'))).toEqual({ params: 5330, forwardMacs: 48672 + 139392 + 4000, activationsPerExample: acts });
    expect(countSpec({ ...cnn('batch'), conv: undefined, hidden: [128] })).toMatchObject({
      params: 784 * 128 + 128 + 4 * 128 + 1290,
      forwardMacs: 784 * 128 + 1280,
    });
  });

  it("5×5 'same' blocks and a Dense hidden layer with its own norm plan as written, with per-block norms", () => {
    const spec: MlpSpec = {
      ...cnn('layer'),
      conv: [
        { filters: 4, kernel: 5, padding: 'same', norm: 'batch' },
        { filters: 8, kernel: 5, padding: 'same', pool: false },
      ],
      hidden: [32],
    };
    expect(rowsOf(spec)).toEqual([
      'conv2d (None, 28, 28, 4) 100',
      'batch_normalization (None, 28, 28, 4) 16',
      'activation (None, 28, 28, 4) 0',
      'max_pooling2d (None, 14, 14, 4) 0',
      'conv2d_1 (None, 14, 14, 8) 808',
      'layer_normalization (None, 14, 14, 8) 16',
      'activation_1 (None, 14, 14, 8) 0',
      'flatten (None, 1568) 0',
      'dense (None, 32) 50208',
      'layer_normalization_1 (None, 32) 64',
      'activation_2 (None, 32) 0',
      'dropout (None, 32) 0',
      'dense_1 (None, 10) 330',
    ]);
  });

  it('mlp(spec) builds what summarizeSpec describes: same rows and names, real parameter counts, gradients everywhere', () => {
    for (const norm of ['batch', 'group:4', 'layer', 'none'] as const) {
      const spec = { ...cnn(norm), inputs: 100, conv: [{ filters: 4 }, { filters: 8, padding: 'same' as const }] };
      for (const backend of [createBackend('ts'), createBackend('wasm')]) {
        const model = mlp(spec, createRandom(1), { backend });
        const summary = summarizeSpec(spec);
        expect(model.summary()).toEqual(summary);
        expect(summary.rows.map((r) => r.name)).toEqual(model.layers.map((l) => l.name));
        expect(summary.trainable).toBe(model.params().reduce((n, p) => n + p.value.length, 0));
        const r = createRandom(2);
        const x = Float32Array.from({ length: 3 * 100 }, () => r());
        expect(model.forward(x, 3, 'train').length).toBe(30);
        model.backward(Float32Array.from({ length: 30 }, () => r() - 0.5));
        for (const p of model.params())
          expect(
            p.grad.some((g) => g !== 0),
            `${norm} ${backend.name} ${p.name}`,
          ).toBe(true);
      }
    }
  });

  it('rejects group counts that do not divide a width, odd inputs for images and maps too small for the next block', () => {
    expect(() => summarizeSpec({ ...cnn('group:3'), conv: [{ filters: 8 }] })).toThrow(
      /norm 'group:3' needs conv\[0\]\.filters divisible by 3, received 8/,
    );
    expect(() => summarizeSpec({ ...cnn('none'), inputs: 780 })).toThrow(/780 inputs are not a square number of pixels/);
    // 28 → 26 → 13 → 11 → 5 → 3 → 1: a fourth block has no room.
    expect(() => summarizeSpec({ ...cnn('none'), conv: [{ filters: 4 }, { filters: 4 }, { filters: 4 }, { filters: 4 }] })).toThrow(
      /conv\[3\]: a 3×3 'valid' convolution needs a feature map of at least 3×3, received 1×1/,
    );
    expect(() => summarizeSpec({ ...cnn('norm' as never) })).toThrow(/norm must be 'none', 'batch', 'layer' or 'group:G'/);
  });
});
