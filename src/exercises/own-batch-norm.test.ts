import { describe, expect, it } from 'vitest';
import { mlp, type MlpSpec } from '@engine/model/mlp.ts';
import { createRandom } from '@engine/random.ts';
import { bnBackward } from './bn-backward.ts';
import { bnForward } from './bn-forward.ts';
import { toFloat32, normalMatrix } from './inputs.ts';
import { ownBatchNorm, type BackwardFn, type ForwardFn } from './own-batch-norm.ts';
import { runTypeScript } from './testing.ts';

const spec: MlpSpec = {
  inputs: 6,
  hidden: [5],
  activation: 'relu',
  norm: 'batch',
  normPlacement: 'before-activation',
  dropout: 0,
  classes: 3,
};
const forward = runTypeScript(bnForward.solution, ['batchNormForward']).functions.batchNormForward as ForwardFn;
const backward = runTypeScript(bnBackward.solution, ['batchNormBackward']).functions.batchNormBackward as BackwardFn;

describe("ownBatchNorm (the reader's BN inside the engine's mlp)", () => {
  it('mlp(spec, random, { batchNorm }) builds the network with the given BN and matches the engine in train, backward and eval', () => {
    const engine = mlp(spec, createRandom(3));
    const own = mlp(spec, createRandom(3), { batchNorm: ownBatchNorm(forward, backward) });
    const x = toFloat32(normalMatrix(9, 4, 6));
    const a = engine.forward(x, 4, 'train');
    const b = own.forward(x, 4, 'train');
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
    const dout = toFloat32(normalMatrix(10, 4, 3));
    engine.backward(dout);
    own.backward(dout);
    engine.params().forEach((p, i) => p.grad.forEach((g, j) => expect(own.params()[i].grad[j]).toBeCloseTo(g, 5)));
    const e = engine.forward(x, 4, 'eval');
    const o = own.forward(x, 4, 'eval');
    for (let i = 0; i < e.length; i++) expect(o[i]).toBeCloseTo(e[i], 5);
  });

  it('is full BN only: a spec taking BN apart is refused, naming the ablation', () => {
    expect(() => mlp({ ...spec, bnAblation: 'center' }, createRandom(3), { batchNorm: ownBatchNorm(forward, backward) })).toThrow(
      "ownBatchNorm: the reader's BN is full BN, received ablation 'center'; use the engine's batchNorm",
    );
  });

  it("a non-finite value from the reader's forward stops with the function, the output and the element named", () => {
    const nan: ForwardFn = (x, g, b, eps) => ({ ...(forward(x, g, b, eps) as object), y: x.map((r) => r.map(() => NaN)) });
    const model = mlp(spec, createRandom(3), { batchNorm: ownBatchNorm(nan, backward) });
    expect(() => model.forward(toFloat32(normalMatrix(9, 4, 6)), 4, 'train')).toThrow(
      /batchNormForward returned a non-finite value: y\[0\]\[0\] = NaN/,
    );
  });
});
