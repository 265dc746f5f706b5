/**
 * Direct convolution against im2col + a blocked matrix product (issue 17), per kernel and shape,
 * on wasm kernels (batch 32). The im2col kernels lost (README.md, "ConvNets"), so they live in
 * bench/assembly/ and not in the engine: this script compiles its own module from them and from
 * the engine's direct kernels' source (bench/assembly/conv-bench.ts, asc with the engine's flags,
 * ~5 s), checks every result against the TypeScript reference (engine/layers/conv2d.ts) within the
 * float32 summation bound the engine's kernel tests use, then times each pair interleaved —
 * direct, im2col, im2col, direct, … — so the drift of a shared machine hits both alike. A sample is
 * this process's CPU time over enough calls to last ~20 ms; the script prints the median µs per
 * call of each and the median (and quartiles) of the pairwise ratios direct / im2col: above 1,
 * im2col is faster.
 *   forward  direct: pad2d + conv2dForward          im2col: im2col (padding included) + im2colForward
 *   copy     direct: pad2d                          im2col: im2col — what each copies before its product
 *   dW       direct: conv2dBackwardWeights on xp    im2col: im2colBackwardWeights on the forward's X
 *   dW incl. im2col  the same, im2col building X first (the forward kept no X)
 *   dx       direct: pad2d(dy) + conv2dForward with the turned kernel
 *            im2col: im2col(dy, padded) + im2colForward with the turned kernel
 *   npx tsx bench/conv-im2col.ts [--pairs 31] [--shape <part of a name>] [--json]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conv2dBackwardWeights, conv2dForward, pad2d, turnKernel, type Padding } from '../engine/layers/conv2d.ts';
import { createRandom } from '../engine/random.ts';

/** The exports of bench/assembly/conv-bench.ts; arguments are byte addresses or sizes. */
interface BenchKernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  pad2d(x: number, n: number, R: number, S: number, C: number, p: number, out: number): void;
  conv2dForward(x: number, n: number, R: number, S: number, C: number, W: number, F: number, k: number, b: number, y: number): void;
  conv2dBackwardWeights(xp: number, dy: number, n: number, Ro: number, So: number, C: number, F: number, k: number, dW: number): void;
  im2col(x: number, n: number, R: number, S: number, C: number, k: number, p: number, X: number): void;
  im2colForward(X: number, M: number, K: number, W: number, F: number, b: number, Y: number): void;
  im2colBackwardWeights(X: number, M: number, K: number, dY: number, F: number, dW: number): void;
}

function compileKernels(): BenchKernels {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'conv-bench-'));
  const out = join(dir, 'conv-bench.wasm');
  const args = [`${root}bench/assembly/conv-bench.ts`, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '-o', out];
  const r = spawnSync(process.execPath, [`${root}node_modules/assemblyscript/bin/asc.js`, ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`conv-im2col: asc ${args.join(' ')} failed with exit code ${r.status}`);
  const bytes = readFileSync(out);
  rmSync(dir, { recursive: true });
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as BenchKernels;
}

/** A bump arena in the module's memory; views are made after every buffer is allocated (a growth detaches them). */
function arena(kr: BenchKernels) {
  let top = kr.heapBase();
  return (length: number) => {
    const ptr = (top = Math.ceil(top / 16) * 16);
    top += 4 * length;
    const short = top - kr.memory.buffer.byteLength;
    if (short > 0) kr.memory.grow(Math.ceil(short / 65536));
    return { ptr, length, view: () => new Float32Array(kr.memory.buffer, ptr, length) };
  };
}

/** Throws unless |got − ref| ≤ (terms + 1)·2⁻²⁴·Σ|products| elementwise (float32 summation of `terms` products against float64). */
function checkWithinSumBound(what: string, got: Float32Array, ref: Float32Array, absSum: Float32Array, terms: number): void {
  for (let i = 0; i < ref.length; i++) {
    const allowed = (terms + 1) * 2 ** -24 * absSum[i] + 1e-30;
    if (!(Math.abs(got[i] - ref[i]) <= allowed)) {
      throw new Error(`conv-im2col: ${what}[${i}] is ${got[i]}, the TypeScript reference ${ref[i]}, allowed difference ${allowed}`);
    }
  }
}

interface Shape {
  name: string;
  R: number;
  S: number;
  C: number;
  F: number;
  k: number;
  padding: Padding;
}

const shapes: Shape[] = [
  { name: 'layer 1, 28×28×1 → 8, 3×3 valid', R: 28, S: 28, C: 1, F: 8, k: 3, padding: 'valid' },
  { name: 'layer 2, 13×13×8 → 16, 3×3 valid', R: 13, S: 13, C: 8, F: 16, k: 3, padding: 'valid' },
  { name: '28×28×1 → 8, 5×5 same', R: 28, S: 28, C: 1, F: 8, k: 5, padding: 'same' },
  { name: '14×14×8 → 16, 5×5 same', R: 14, S: 14, C: 8, F: 16, k: 5, padding: 'same' },
  { name: 'wide, 13×13×16 → 32, 3×3 valid', R: 13, S: 13, C: 16, F: 32, k: 3, padding: 'valid' },
];

const argv = process.argv.slice(2);
const option = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const pairs = Number(option('--pairs') ?? 31);
const only = option('--shape'); // a part of a shape's name: that shape only
const n = 32;
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** How many calls of `run` last about `ms` milliseconds. */
function calibrate(run: () => void, ms: number): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    const took = performance.now() - t0;
    if (took > ms / 4) return Math.max(1, Math.round((reps * ms) / took));
    reps *= 2;
  }
}

/** µs of this process's CPU time per call: on a shared machine the wall clock also counts the time others hold the core. */
function time(run: () => void, reps: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) run();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / reps;
}

interface Row {
  shape: string;
  kernel: string;
  directMicros: number;
  im2colMicros: number;
  ratio: number;
  ratioQuartiles: [number, number];
}

function compare(shape: string, kernel: string, direct: () => void, im2col: () => void): Row {
  for (let i = 0; i < 3; i++) {
    direct();
    im2col();
  }
  const reps = calibrate(direct, 20);
  const d: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      d.push(time(direct, reps));
      c.push(time(im2col, reps));
    } else {
      c.push(time(im2col, reps));
      d.push(time(direct, reps));
    }
  }
  const ratios = d.map((v, i) => v / c[i]).sort((a, b) => a - b);
  return {
    shape,
    kernel,
    directMicros: median(d),
    im2colMicros: median(c),
    ratio: median(ratios),
    ratioQuartiles: [ratios[Math.floor(pairs / 4)], ratios[Math.floor((3 * pairs) / 4)]],
  };
}

type Buffers = Record<'x' | 'W' | 'Wt' | 'b' | 'xp' | 'X' | 'y' | 'dy' | 'dW' | 'dyp' | 'Xd' | 'dx', ReturnType<ReturnType<typeof arena>>>;

/** Each kernel of both versions against the TypeScript reference, before anything is timed. */
function verify(kr: BenchKernels, s: Shape, buf: Buffers): void {
  const { R, S, C, F, k } = s;
  const p = s.padding === 'same' ? (k - 1) / 2 : 0;
  const q = k - 1 - p;
  const [Ro, So, Rp, Sp] = [R + 2 * p - k + 1, S + 2 * p - k + 1, R + 2 * p, S + 2 * p];
  const [M, K] = [n * Ro * So, k * k * C];
  const abs = (a: Float32Array) => a.map(Math.abs);
  const [x, W, Wt, b, dy] = [buf.x, buf.W, buf.Wt, buf.b, buf.dy].map((v) => v.view().slice());
  const xp = new Float32Array(n * Rp * Sp * C);
  const xpAbs = new Float32Array(xp.length);
  pad2d(x, n, R, S, C, p, xp);
  pad2d(abs(x), n, R, S, C, p, xpAbs);
  const y = new Float32Array(M * F);
  const yAbs = new Float32Array(M * F);
  conv2dForward(xp, n, Rp, Sp, C, W, F, k, b, y);
  conv2dForward(xpAbs, n, Rp, Sp, C, abs(W), F, k, abs(b), yAbs);
  const dW = new Float32Array(K * F);
  const dWAbs = new Float32Array(K * F);
  conv2dBackwardWeights(xp, dy, n, Ro, So, C, F, k, dW);
  conv2dBackwardWeights(xpAbs, abs(dy), n, Ro, So, C, F, k, dWAbs);
  const dyp = new Float32Array(n * (Ro + 2 * q) * (So + 2 * q) * F);
  const dypAbs = new Float32Array(dyp.length);
  pad2d(dy, n, Ro, So, F, q, dyp);
  pad2d(abs(dy), n, Ro, So, F, q, dypAbs);
  const dx = new Float32Array(n * R * S * C);
  const dxAbs = new Float32Array(dx.length);
  conv2dForward(dyp, n, Ro + 2 * q, So + 2 * q, F, Wt, C, k, null, dx);
  conv2dForward(dypAbs, n, Ro + 2 * q, So + 2 * q, F, abs(Wt), C, k, null, dxAbs);
  const versions = {
    direct: () => {
      kr.pad2d(buf.x.ptr, n, R, S, C, p, buf.xp.ptr);
      kr.conv2dForward(buf.xp.ptr, n, Rp, Sp, C, buf.W.ptr, F, k, buf.b.ptr, buf.y.ptr);
      buf.dW.view().fill(0);
      kr.conv2dBackwardWeights(buf.xp.ptr, buf.dy.ptr, n, Ro, So, C, F, k, buf.dW.ptr);
      kr.pad2d(buf.dy.ptr, n, Ro, So, F, q, buf.dyp.ptr);
      kr.conv2dForward(buf.dyp.ptr, n, Ro + 2 * q, So + 2 * q, F, buf.Wt.ptr, C, k, 0, buf.dx.ptr);
    },
    im2col: () => {
      kr.im2col(buf.x.ptr, n, R, S, C, k, p, buf.X.ptr);
      kr.im2colForward(buf.X.ptr, M, K, buf.W.ptr, F, buf.b.ptr, buf.y.ptr);
      buf.dW.view().fill(0);
      kr.im2colBackwardWeights(buf.X.ptr, M, K, buf.dy.ptr, F, buf.dW.ptr);
      kr.im2col(buf.dy.ptr, n, Ro, So, F, k, q, buf.Xd.ptr);
      kr.im2colForward(buf.Xd.ptr, n * R * S, k * k * F, buf.Wt.ptr, C, 0, buf.dx.ptr);
    },
  };
  for (const [version, run] of Object.entries(versions)) {
    run();
    checkWithinSumBound(`${s.name}, ${version} y`, buf.y.view(), y, yAbs, K + 1);
    checkWithinSumBound(`${s.name}, ${version} dW`, buf.dW.view(), dW, dWAbs, M);
    checkWithinSumBound(`${s.name}, ${version} dx`, buf.dx.view(), dx, dxAbs, k * k * F);
  }
}

const kr = compileKernels();
const loadBefore = loadavg();
const rows: Row[] = [];
for (const s of shapes.filter((s) => only === undefined || s.name.includes(only))) {
  const { R, S, C, F, k } = s;
  const p = s.padding === 'same' ? (k - 1) / 2 : 0;
  const q = k - 1 - p;
  const [Ro, So] = [R + 2 * p - k + 1, S + 2 * p - k + 1];
  const [Rp, Sp] = [R + 2 * p, S + 2 * p];
  const M = n * Ro * So;
  const K = k * k * C;
  const alloc = arena(kr);
  const [x, W, Wt, b, xp, X, y, dy, dW, dyp, Xd, dx] = [
    n * R * S * C,
    K * F,
    k * k * F * C,
    F,
    n * Rp * Sp * C,
    M * K,
    M * F,
    M * F,
    K * F,
    n * (Ro + 2 * q) * (So + 2 * q) * F,
    n * R * S * k * k * F,
    n * R * S * C,
  ].map(alloc);
  const random = createRandom(17);
  for (const buf of [x, W, b, dy]) buf.view().set(Float32Array.from({ length: buf.length }, () => 2 * random() - 1));
  turnKernel(W.view(), k, C, F, Wt.view());
  verify(kr, s, { x, W, Wt, b, xp, X, y, dy, dW, dyp, Xd, dx });
  kr.pad2d(x.ptr, n, R, S, C, p, xp.ptr);
  kr.im2col(x.ptr, n, R, S, C, k, p, X.ptr);
  rows.push(
    compare(
      s.name,
      'forward',
      () => {
        kr.pad2d(x.ptr, n, R, S, C, p, xp.ptr);
        kr.conv2dForward(xp.ptr, n, Rp, Sp, C, W.ptr, F, k, b.ptr, y.ptr);
      },
      () => {
        kr.im2col(x.ptr, n, R, S, C, k, p, X.ptr);
        kr.im2colForward(X.ptr, M, K, W.ptr, F, b.ptr, y.ptr);
      },
    ),
    compare(
      s.name,
      'copy',
      () => kr.pad2d(x.ptr, n, R, S, C, p, xp.ptr),
      () => kr.im2col(x.ptr, n, R, S, C, k, p, X.ptr),
    ),
    compare(
      s.name,
      'dW',
      () => kr.conv2dBackwardWeights(xp.ptr, dy.ptr, n, Ro, So, C, F, k, dW.ptr),
      () => kr.im2colBackwardWeights(X.ptr, M, K, dy.ptr, F, dW.ptr),
    ),
    compare(
      s.name,
      'dW incl. im2col',
      () => kr.conv2dBackwardWeights(xp.ptr, dy.ptr, n, Ro, So, C, F, k, dW.ptr),
      () => {
        kr.im2col(x.ptr, n, R, S, C, k, p, X.ptr);
        kr.im2colBackwardWeights(X.ptr, M, K, dy.ptr, F, dW.ptr);
      },
    ),
    compare(
      s.name,
      'dx',
      () => {
        kr.pad2d(dy.ptr, n, Ro, So, F, q, dyp.ptr);
        kr.conv2dForward(dyp.ptr, n, Ro + 2 * q, So + 2 * q, F, Wt.ptr, C, k, 0, dx.ptr);
      },
      () => {
        kr.im2col(dy.ptr, n, Ro, So, F, k, q, Xd.ptr);
        kr.im2colForward(Xd.ptr, n * R * S, k * k * F, Wt.ptr, C, 0, dx.ptr);
      },
    ),
  );
}
const loadAfter = loadavg();

if (argv.includes('--json')) {
  console.log(JSON.stringify({ date: new Date().toISOString(), loadBefore, loadAfter, pairs, batch: n, rows }, null, 2));
} else {
  console.log(
    `batch ${n}, ${pairs} interleaved pairs per kernel; load average ${loadBefore.map((v) => v.toFixed(2)).join(' ')} → ${loadAfter.map((v) => v.toFixed(2)).join(' ')}`,
  );
  console.log(
    `${'shape'.padEnd(37)} ${'kernel'.padEnd(16)} ${'direct µs'.padStart(10)} ${'im2col µs'.padStart(10)}  direct/im2col (quartiles)`,
  );
  for (const r of rows) {
    const q = r.ratioQuartiles.map((v) => v.toFixed(2)).join('–');
    console.log(
      `${r.shape.padEnd(37)} ${r.kernel.padEnd(16)} ${r.directMicros.toFixed(0).padStart(10)} ${r.im2colMicros.toFixed(0).padStart(10)}  ${r.ratio.toFixed(2)} (${q})`,
    );
  }
}
