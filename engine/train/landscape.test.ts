import { describe, expect, it } from 'vitest';
import { createBackend, type BackendName } from '../backend.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import { mlp, type Mlp } from '../model/mlp.ts';
import { sgd } from '../optim/sgd.ts';
import { createRandom } from '../random.ts';
import { zeroGrad } from '../types.ts';
import { parseTrainConfig, type TrainConfig } from './config.ts';
import { checkMultiples, defaultMultiples, stepAlongLandscape } from './landscape.ts';
import { createSession, type Session } from './session.ts';
import { trainStep } from './train-step.ts';
import { toyDigits } from '../testing/toy-digits.ts';

const backends: BackendName[] = ['ts', 'wasm'];

function toyNet(backend: BackendName): Mlp {
  const spec = {
    inputs: 6,
    hidden: [5, 4],
    activation: 'sigmoid',
    norm: 'batch',
    normPlacement: 'before-activation',
    dropout: 0,
    classes: 3,
  } as const;
  return mlp({ ...spec, hidden: [...spec.hidden] }, createRandom(7), { backend: createBackend(backend) });
}

/** Loss and flattened gradient (float64) of `model` in train mode on the batch. */
function lossAndGrad(model: Mlp, x: Float32Array, labels: Uint8Array, n: number): { loss: number; grad: number[] } {
  zeroGrad(model.params());
  const logits = model.forward(x, n, 'train');
  const { loss, dlogits } = softmaxCrossEntropy(logits, labels, n, 3);
  model.backward(dlogits);
  return { loss, grad: model.params().flatMap((p) => [...p.grad]) };
}

const distance = (a: readonly number[], b: readonly number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));

describe('stepAlongLandscape', () => {
  it.for(backends)('measures the loss, gradient change and smoothness along an SGD step as a direct computation does (%s)', (backend) => {
    const r = createRandom(3);
    const n = 8;
    const x = Float32Array.from({ length: n * 6 }, () => 2 * r() - 1);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
    const lr = 0.5;
    const multiples = [0.5, 1, 2, 4];

    const probed = toyNet(backend);
    const optimizer = sgd({ lr, backend: probed.backend });
    const { sample } = stepAlongLandscape(probed, [], multiples, { x, labels, n }, () => trainStep(probed, optimizer, x, labels, n));

    // Directly: plain SGD steps by Δ = −lr·∇L(w); evaluate w + tΔ on a twin of the model.
    const twin = toyNet(backend);
    const w0 = twin.params().map((p) => Float64Array.from(p.value));
    const at0 = lossAndGrad(twin, x, labels, n);
    const points = multiples.map((t) => {
      let k = 0;
      twin.params().forEach((p, i) => p.value.forEach((_, j) => (p.value[j] = w0[i][j] - t * lr * at0.grad[k++])));
      return { t, ...lossAndGrad(twin, x, labels, n) };
    });
    const gradNorm = Math.hypot(...at0.grad);
    const stepNorm = lr * gradNorm;
    const changes = points.map((p) => distance(p.grad, at0.grad));
    const losses = [at0.loss, ...points.map((p) => p.loss)];

    expect(sample).not.toBeNull();
    const s = sample!;
    const close = (got: number, want: number, what: string) =>
      expect(Math.abs(got - want) / Math.abs(want), `${what}: ${got} vs ${want}`).toBeLessThan(1e-4);
    close(s.loss, at0.loss, 'loss');
    close(s.gradNorm, gradNorm, 'gradNorm');
    close(s.stepNorm, stepNorm, 'stepNorm');
    s.losses.forEach((l, i) => close(l, points[i].loss, `loss at t = ${multiples[i]}`));
    s.gradChanges.forEach((c, i) => close(c, changes[i], `gradient change at t = ${multiples[i]}`));
    close(s.lossRange, Math.max(...losses) - Math.min(...losses), 'loss range');
    close(s.smoothness, Math.max(...changes.map((c, i) => c / (multiples[i] * stepNorm))), 'smoothness');
    expect(s.lossRange).toBeGreaterThan(0);
    expect(s.multiples).toEqual(multiples);
  });

  it('checkMultiples(list) rejects an empty list, a zero or a too large multiple', () => {
    expect(checkMultiples(defaultMultiples)).toBe(defaultMultiples);
    expect(() => checkMultiples([])).toThrow(/1 to 8 numbers, received \[\]/);
    expect(() => checkMultiples([0, 1])).toThrow(/multiples\[0\] must be in \[0.01, 16\], received 0/);
    expect(() => checkMultiples([1, 20])).toThrow(/multiples\[1\] must be in \[0.01, 16\], received 20/);
  });
});

const train = toyDigits(300, 1);

/** Everything a later step or a diagnostics frame reads: weights, grads, BN statistics, layer caches. */
function state(s: Session): Float32Array[] {
  const m = s.model;
  return [
    ...m.params().flatMap((p) => [p.value.slice(), p.grad.slice()]),
    ...m.layers.flatMap(({ layer }) =>
      layer.kind === 'BatchNormalization'
        ? [
            layer.movingMean.slice(),
            layer.movingVariance.slice(),
            layer.lastBatchStats()!.mean.slice(),
            layer.lastBatchStats()!.variance.slice(),
          ]
        : [],
    ),
    ...m.layers.flatMap((l) => [l.lastOutput()!.slice(), l.lastGradient()!.slice()]),
  ];
}

describe('Session.landscape', () => {
  const configs: [string, Partial<TrainConfig>][] = [
    ['BN, dropout, BN noise, Adam', { norm: 'batch', dropout: 0.3, bnNoise: 0.2, optimizer: 'adam', lr: 0.01 }],
    ['no BN, dropout, SGD with momentum', { norm: 'none', dropout: 0.2, optimizer: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 0.5 }],
  ];
  const cases = backends.flatMap((backend) => configs.map(([name, config]) => ({ backend, name, config })));

  it.for(cases)(
    'a run probed at every step continues bit-identically to one never probed ($backend, $name)',
    ({ backend, name, config }) => {
      const c = parseTrainConfig({ hidden: [16, 12], activation: 'sigmoid', batchSize: 20, epochs: 2, seed: 5, backend, ...config });
      const probed = createSession(c, { train });
      const plain = createSession(c, { train });
      probed.landscape = defaultMultiples;
      for (let i = 0; i < 20; i++) {
        const a = probed.step();
        const b = plain.step();
        expect(a.landscape, `${name}: step ${i + 1} was probed`).toBeDefined();
        expect(a.landscape!.loss).toBe(b.loss);
        const { landscape: _, ...rest } = a;
        expect(rest).toEqual(b);
        expect(state(probed), `${name}: state after step ${i + 1}`).toEqual(state(plain));
      }
      probed.landscape = null;
      while (!plain.done) expect(probed.step()).toEqual(plain.step());
      expect(state(probed)).toEqual(state(plain));
      expect(probed.epochMetrics()).toEqual(plain.epochMetrics());
    },
  );

  it('the setter refuses bad multiples with the value received', () => {
    const s = createSession(parseTrainConfig({ hidden: [8], epochs: 1 }), { train });
    expect(() => (s.landscape = [-1])).toThrow(/multiples\[0\] must be in \[0.01, 16\], received -1/);
  });
});
