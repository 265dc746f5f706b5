import { describe, expect, it } from 'vitest';
import { backendNames, createBackend, decodeBase64, defaultBackendName, tsBackend, wasmAvailable } from './backend.ts';
import { mlp, type MlpSpec } from './model/mlp.ts';
import { createRandom } from './random.ts';

const spec: MlpSpec = {
  inputs: 20,
  hidden: [16],
  activation: 'relu',
  norm: 'batch',
  normPlacement: 'before-activation',
  dropout: 0.2,
  classes: 4,
};

function batch(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: n * spec.inputs }, () => (random() < 0.5 ? 0 : random()));
}

describe('backends', () => {
  it('wasm is the default where WebAssembly SIMD validates (Node 20 does)', () => {
    expect(wasmAvailable()).toBe(true);
    expect(defaultBackendName()).toBe('wasm');
    expect(backendNames).toEqual(['wasm', 'ts']);
  });

  it('createBackend(name) rejects an unknown name, naming it', () => {
    expect(() => createBackend('gpu' as never)).toThrow("createBackend: name must be 'wasm' or 'ts', received gpu");
    expect(createBackend('ts')).toBe(tsBackend);
  });

  it('each wasm backend has its own memory: a model on one never sees another', () => {
    const a = createBackend('wasm');
    const b = createBackend('wasm');
    const x = a.f32(4);
    expect(b.address(x.view)).toBe(-1);
    expect(a.address(x.view)).toBe(x.ptr);
    expect(a.address(new Float32Array(4))).toBe(-1);
  });

  it('a Buf keeps its address while it fits, and its view follows resize', () => {
    const be = createBackend('wasm');
    const buf = be.f32(8);
    const ptr = buf.ptr;
    buf.view.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(buf.resize(3).view).toHaveLength(3);
    expect(buf.ptr).toBe(ptr);
    expect(Array.from(buf.view)).toEqual([1, 2, 3]);
    buf.resize(100);
    expect(buf.ptr).not.toBe(ptr);
    expect(buf.view).toHaveLength(100);
  });

  it('memory growth detaches old views, but params, BN statistics, lastOutput and lastGradient stay live', () => {
    const backend = createBackend('wasm');
    const model = mlp(spec, createRandom(1), { dropoutRandom: createRandom(2), backend });
    const reference = mlp(spec, createRandom(1), { dropoutRandom: createRandom(2) });
    const steps: [number, number][] = [
      [8, 1],
      [3000, 2],
      [5, 3],
    ]; // 3000 rows grow the memory several pages
    for (const [n, seed] of steps) {
      const x = batch(n, seed);
      const before = model.params()[0].value; // a view taken before this step's growth
      const logits = model.forward(x, n, 'train').slice(); // a copy: the view itself may be detached by backward
      const dlogits = Float32Array.from(logits, (v) => v / n);
      model.backward(dlogits);
      const refLogits = reference.forward(x, n, 'train');
      reference.backward(dlogits.slice());
      if (n === 3000) expect(before.length, 'a view kept across memory.grow is detached').toBe(0);
      expect(model.params().map((p) => p.value.length)).toEqual(reference.params().map((p) => p.value.length));
      for (const [i, layer] of model.layers.entries()) {
        expect(layer.lastOutput()!.length, `${layer.name} output`).toBe(reference.layers[i].lastOutput()!.length);
        expect(layer.lastGradient()!.length, `${layer.name} gradient`).toBe(n * layer.units);
      }
      const bn = model.layers[1].layer;
      if (bn.kind !== 'BatchNormalization') throw new Error('expected BN second');
      expect(bn.movingMean).toHaveLength(16);
      expect(bn.lastBatchStats()!.mean).toHaveLength(16);
      refLogits.forEach((v, i) => expect(Math.abs(logits[i] - v)).toBeLessThan(1e-4));
    }
  });

  it('decodeBase64 decodes padded and unpadded input', () => {
    expect(Array.from(decodeBase64('AGFzbQ=='))).toEqual([0, 97, 115, 109]);
    expect(Array.from(decodeBase64('AQID'))).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64('AQ'))).toEqual([1]);
  });
});
