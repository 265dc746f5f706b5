import { describe, expect, it } from 'vitest';
import { defaultTrainConfig } from '@engine/train/config.ts';
import { frameworkCode, kerasCode, py, pytorchCode } from './framework-code.ts';

/** Each row of the README's conventions table, as the generated code must show it. */
describe('frameworkCode(config) follows the README conventions table', () => {
  const bn = { ...defaultTrainConfig, norm: 'batch' as const };

  it('BN moving averages: Keras momentum m, PyTorch momentum 1 − m', () => {
    expect(kerasCode(bn)).toContain('layers.BatchNormalization(momentum=0.99, epsilon=0.001)');
    expect(pytorchCode(bn)).toContain('nn.BatchNorm1d(128, momentum=0.01, eps=0.001)');
    expect(pytorchCode({ ...bn, bnMomentum: 0.9 })).toContain('momentum=0.1, eps=0.001');
  });

  it('BN ε: passed explicitly to PyTorch, whose default (1e-5) differs', () => {
    expect(pytorchCode({ ...bn, epsilon: 1e-5 })).toContain('eps=1e-05');
    expect(kerasCode({ ...bn, epsilon: 1e-5 })).toContain('epsilon=1e-05');
  });

  it('BN moving variance: the biased/unbiased difference is stated for PyTorch', () => {
    expect(pytorchCode(bn)).toMatch(/running_var the unbiased batch variance/);
    expect(pytorchCode(defaultTrainConfig)).not.toMatch(/BatchNorm1d|running_var/);
  });

  it('L2: Keras L2(l2) on every Dense kernel, PyTorch weight_decay = 2·l2 on Linear weights only', () => {
    const c = { ...defaultTrainConfig, l2: 0.0005 };
    const keras = kerasCode(c);
    expect(keras.match(/kernel_regularizer=regularizers\.L2\(0\.0005\)/g)).toHaveLength(2);
    const torch = pytorchCode(c);
    expect(torch).toContain('torch.optim.Adam([{"params": decay, "weight_decay": 0.001}, {"params": no_decay, "weight_decay": 0.0}]');
    expect(torch).toContain('decay = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]');
  });

  it('AdamW: weight_decay unchanged in both, biases and BN γ/β excluded', () => {
    const c = { ...bn, optimizer: 'adamw' as const, weightDecay: 0.004 };
    expect(kerasCode(c)).toContain('keras.optimizers.AdamW(learning_rate=0.001, weight_decay=0.004');
    expect(kerasCode(c)).toContain('exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])');
    expect(pytorchCode(c)).toContain('torch.optim.AdamW([{"params": decay, "weight_decay": 0.004}');
  });

  it('SGD momentum: the same number in both', () => {
    const c = { ...defaultTrainConfig, optimizer: 'sgd' as const, lr: 0.1, momentum: 0.9 };
    expect(kerasCode(c)).toContain('keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)');
    expect(pytorchCode(c)).toContain('lr=0.1, momentum=0.9)');
  });

  it('clipping: global norm as global_clipnorm / clip_grad_norm_, by value as clipvalue / clip_grad_value_', () => {
    const c = { ...defaultTrainConfig, clipNorm: 1, clipValue: 0.5 };
    expect(kerasCode(c)).toContain('global_clipnorm=1.0, clipvalue=0.5');
    expect(kerasCode(c)).not.toMatch(/[^_]clipnorm=/);
    expect(pytorchCode(c)).toContain('clip_grad_norm_(model.parameters(), max_norm=1.0)');
    expect(pytorchCode(c)).toContain('clip_grad_value_(model.parameters(), clip_value=0.5)');
    expect(pytorchCode(defaultTrainConfig)).not.toContain('clip_grad');
  });

  it('batch size, epochs and the validation split (the last 6,000 images)', () => {
    const c = { ...defaultTrainConfig, batchSize: 128, epochs: 3 };
    expect(kerasCode(c)).toContain('model.fit(x_train, y_train, batch_size=128, epochs=3, validation_split=0.1)');
    expect(pytorchCode(c)).toContain('DataLoader(train_set, batch_size=128, shuffle=True)');
    expect(pytorchCode(c)).toContain('for epoch in range(3):');
    expect(pytorchCode(c)).toContain('val_set = torch.utils.data.Subset(mnist, range(54000, 60000))');
    const limited = { ...c, trainLimit: 5000 };
    expect(kerasCode(limited)).toContain('x_train, y_train = x_train[:5000], y_train[:5000]');
    expect(kerasCode(limited)).toContain('validation_data=(x_val, y_val)');
    expect(pytorchCode(limited)).toContain('Subset(mnist, range(5000))');
  });

  it('the model: BN before or after the activation, dropout, initializer', () => {
    const after = kerasCode({ ...bn, normPlacement: 'after-activation' });
    expect(after.indexOf('Activation("relu")')).toBeLessThan(after.indexOf('BatchNormalization'));
    const before = pytorchCode(bn);
    expect(before.indexOf('BatchNorm1d')).toBeLessThan(before.indexOf('nn.ReLU()'));
    expect(kerasCode({ ...defaultTrainConfig, dropout: 0 })).not.toContain('Dropout');
    expect(pytorchCode({ ...defaultTrainConfig, init: 'he-uniform' })).toContain('kaiming_uniform_');
  });

  it("rejects a bad config with the engine parser's message", () => {
    expect(() => frameworkCode({ bnMomentum: 2 })).toThrow(/bnMomentum/);
  });

  it('py() writes Python float literals', () => {
    expect([py(1), py(0.001), py(1e-7), py(0.99), py(2e-5)]).toEqual(['1.0', '0.001', '1e-07', '0.99', '2e-05']);
  });
});
