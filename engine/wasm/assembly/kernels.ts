/**
 * The WebAssembly kernels (AssemblyScript, f32x4 SIMD), compiled by `npm run wasm` into
 * engine/wasm/kernels.wasm and engine/wasm/kernels-bytes.generated.ts (both git-ignored).
 *
 * Every export has a TypeScript reference of the same name and shape comment in the layer or
 * optimizer file it serves (dense.ts, batch-norm.ts, activations.ts, dropout.ts, adam.ts, sgd.ts,
 * conv2d.ts, max-pool.ts, group-norm.ts); the tests compare the two. This file is the module's
 * entry point: the kernels of batch-norm.ts, conv.ts, pool.ts and group-norm.ts beside it are
 * exported from its end. Arguments are byte addresses into this module's memory; the arena in
 * engine/backend/ hands them out. Tensors are row-major float32, offsets int32, BN statistics f64.
 *
 * Float32 contract: dense and the optimizers accumulate in f32 lanes (the TS reference in f64),
 * so they agree to float32 rounding, not bit for bit; BN, ReLU, dropout, the sigmoid and tanh
 * backward and clipping do the same arithmetic as the reference and agree exactly; the loss, the
 * sigmoid and tanh forward differ only by exp/log/tanh's last ulp.
 */

// ---------------------------------------------------------------------------------------------
// Dense: forward over the input's non-zeros (CSR), dW over them by column (CSC), dx = dy·Wᵀ.

/**
 * y = x·W + b over the non-zeros of each row of x (N, D), recording them in CSR form
 * (start (N+1), index, value). Sixteen outputs stay in four f32x4 registers while the row's
 * non-zeros stream past.
 */
export function denseForward(
  x: usize, n: i32, D: i32, H: i32, W: usize, b: usize, y: usize, start: usize, index: usize, value: usize,
): void {
  let count: i32 = 0;
  const zero = f32x4.splat(0);
  for (let r: i32 = 0; r < n; r++) {
    store<i32>(start + (<usize>r << 2), count);
    const xo = x + (<usize>(r * D) << 2);
    let d: i32 = 0;
    for (; d + 4 <= D; d += 4) {
      const v = v128.load(xo + (<usize>d << 2));
      if (!v128.any_true(f32x4.ne(v, zero))) continue;
      for (let j: i32 = 0; j < 4; j++) {
        const xv = load<f32>(xo + (<usize>(d + j) << 2));
        if (xv != 0) {
          store<i32>(index + (<usize>count << 2), d + j);
          store<f32>(value + (<usize>count << 2), xv);
          count++;
        }
      }
    }
    for (; d < D; d++) {
      const xv = load<f32>(xo + (<usize>d << 2));
      if (xv != 0) {
        store<i32>(index + (<usize>count << 2), d);
        store<f32>(value + (<usize>count << 2), xv);
        count++;
      }
    }
  }
  store<i32>(start + (<usize>n << 2), count);
  const rowBytes = <usize>H << 2;
  for (let r: i32 = 0; r < n; r++) {
    const k0 = load<i32>(start + (<usize>r << 2));
    const k1 = load<i32>(start + (<usize>(r + 1) << 2));
    const yo = y + <usize>r * rowBytes;
    let h: i32 = 0;
    for (; h + 16 <= H; h += 16) {
      const bo = b + (<usize>h << 2);
      let a0 = v128.load(bo, 0);
      let a1 = v128.load(bo, 16);
      let a2 = v128.load(bo, 32);
      let a3 = v128.load(bo, 48);
      for (let k = k0; k < k1; k++) {
        const xv = v128.load32_splat(value + (<usize>k << 2));
        const w = W + <usize>load<i32>(index + (<usize>k << 2)) * rowBytes + (<usize>h << 2);
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(w, 0)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(w, 16)));
        a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(w, 32)));
        a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(w, 48)));
      }
      const o = yo + (<usize>h << 2);
      v128.store(o, a0, 0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    }
    for (; h + 4 <= H; h += 4) {
      let a = v128.load(b + (<usize>h << 2));
      for (let k = k0; k < k1; k++) {
        const xv = v128.load32_splat(value + (<usize>k << 2));
        const w = W + <usize>load<i32>(index + (<usize>k << 2)) * rowBytes + (<usize>h << 2);
        a = f32x4.add(a, f32x4.mul(xv, v128.load(w)));
      }
      v128.store(yo + (<usize>h << 2), a);
    }
    for (; h < H; h++) {
      let a = load<f32>(b + (<usize>h << 2));
      for (let k = k0; k < k1; k++) {
        const w = W + <usize>load<i32>(index + (<usize>k << 2)) * rowBytes + (<usize>h << 2);
        a += load<f32>(value + (<usize>k << 2)) * load<f32>(w);
      }
      store<f32>(yo + (<usize>h << 2), a);
    }
  }
}

/**
 * Builds the column view (CSC) of the forward's non-zeros by a counting sort: colStart (D+1),
 * colRow (the byte offset of dy's row r, r·H·4) and colValue; colFill (D) is scratch.
 */
function toColumns(n: i32, D: i32, H: i32, start: usize, index: usize, value: usize, colStart: usize, colFill: usize, colRow: usize, colValue: usize): void {
  memory.fill(colStart, 0, (<usize>(D + 1)) << 2);
  const total = load<i32>(start + (<usize>n << 2));
  for (let k: i32 = 0; k < total; k++) {
    const at = colStart + (<usize>(load<i32>(index + (<usize>k << 2)) + 1) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  for (let d: i32 = 0; d < D; d++) {
    const at = colStart + (<usize>(d + 1) << 2);
    store<i32>(at, load<i32>(at) + load<i32>(at - 4));
  }
  memory.copy(colFill, colStart, <usize>D << 2);
  for (let r: i32 = 0; r < n; r++) {
    const k1 = load<i32>(start + (<usize>(r + 1) << 2));
    for (let k = load<i32>(start + (<usize>r << 2)); k < k1; k++) {
      const f = colFill + (<usize>load<i32>(index + (<usize>k << 2)) << 2);
      const at = load<i32>(f);
      store<i32>(f, at + 1);
      store<i32>(colRow + (<usize>at << 2), r * H * 4);
      store<f32>(colValue + (<usize>at << 2), load<f32>(value + (<usize>k << 2)));
    }
  }
}

/** db += Σ_n dy (H). */
function biasGrad(dy: usize, n: i32, H: i32, db: usize): void {
  for (let r: i32 = 0; r < n; r++) {
    const go = dy + (<usize>(r * H) << 2);
    let h: i32 = 0;
    for (; h + 4 <= H; h += 4) {
      const at = db + (<usize>h << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(go + (<usize>h << 2))));
    }
    for (; h < H; h++) {
      const at = db + (<usize>h << 2);
      store<f32>(at, load<f32>(at) + load<f32>(go + (<usize>h << 2)));
    }
  }
}

/** dW[d, h..h+16) += Σ over column d's non-zeros of x·dy[row, h..h+16), in registers. */
// @ts-ignore: decorator
@inline function columnBlock16(dW: usize, dy: usize, colRow: usize, colValue: usize, k0: i32, k1: i32, hb: usize): void {
  let a0 = v128.load(dW, 0);
  let a1 = v128.load(dW, 16);
  let a2 = v128.load(dW, 32);
  let a3 = v128.load(dW, 48);
  for (let k = k0; k < k1; k++) {
    const xv = v128.load32_splat(colValue + (<usize>k << 2));
    const g = dy + <usize>load<i32>(colRow + (<usize>k << 2)) + hb;
    a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(g, 0)));
    a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(g, 16)));
    a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(g, 32)));
    a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(g, 48)));
  }
  v128.store(dW, a0, 0);
  v128.store(dW, a1, 16);
  v128.store(dW, a2, 32);
  v128.store(dW, a3, 48);
}

/** One row d of dW (H) += Σ over column d's non-zeros of x·dy[row, :]. */
// @ts-ignore: decorator
@inline function columnRow(dWrow: usize, dy: usize, colRow: usize, colValue: usize, k0: i32, k1: i32, H: i32): void {
  let h: i32 = 0;
  for (; h + 16 <= H; h += 16) columnBlock16(dWrow + (<usize>h << 2), dy, colRow, colValue, k0, k1, <usize>h << 2);
  for (; h + 4 <= H; h += 4) {
    const at = dWrow + (<usize>h << 2);
    let a = v128.load(at);
    for (let k = k0; k < k1; k++) {
      const g = dy + <usize>load<i32>(colRow + (<usize>k << 2)) + (<usize>h << 2);
      a = f32x4.add(a, f32x4.mul(v128.load32_splat(colValue + (<usize>k << 2)), v128.load(g)));
    }
    v128.store(at, a);
  }
  for (; h < H; h++) {
    const at = dWrow + (<usize>h << 2);
    let a = load<f32>(at);
    for (let k = k0; k < k1; k++) {
      a += load<f32>(colValue + (<usize>k << 2)) * load<f32>(dy + <usize>load<i32>(colRow + (<usize>k << 2)) + (<usize>h << 2));
    }
    store<f32>(at, a);
  }
}

/** dW += xᵀ·dy over x's non-zeros (recorded by denseForward) and db += Σ_n dy. */
export function denseBackwardParams(
  dy: usize, n: i32, D: i32, H: i32, start: usize, index: usize, value: usize,
  colStart: usize, colFill: usize, colRow: usize, colValue: usize, dW: usize, db: usize,
): void {
  biasGrad(dy, n, H, db);
  toColumns(n, D, H, start, index, value, colStart, colFill, colRow, colValue);
  const rowBytes = <usize>H << 2;
  for (let d: i32 = 0; d < D; d++) {
    const k0 = load<i32>(colStart + (<usize>d << 2));
    const k1 = load<i32>(colStart + (<usize>(d + 1) << 2));
    if (k0 == k1) continue;
    columnRow(dW + <usize>d * rowBytes, dy, colRow, colValue, k0, k1, H);
  }
}

/** dx = dy·Wᵀ (N, D): one dot product of two contiguous H-rows per (n, d). */
export function denseBackwardInput(dy: usize, n: i32, D: i32, H: i32, W: usize, dx: usize): void {
  for (let r: i32 = 0; r < n; r++) {
    const go = dy + (<usize>(r * H) << 2);
    for (let d: i32 = 0; d < D; d++) {
      const wo = W + (<usize>(d * H) << 2);
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let h: i32 = 0;
      for (; h + 8 <= H; h += 8) {
        const o = <usize>h << 2;
        a0 = f32x4.add(a0, f32x4.mul(v128.load(go + o, 0), v128.load(wo + o, 0)));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(go + o, 16), v128.load(wo + o, 16)));
      }
      for (; h + 4 <= H; h += 4) {
        const o = <usize>h << 2;
        a0 = f32x4.add(a0, f32x4.mul(v128.load(go + o), v128.load(wo + o)));
      }
      const a = f32x4.add(a0, a1);
      let s = f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
      for (; h < H; h++) s += load<f32>(go + (<usize>h << 2)) * load<f32>(wo + (<usize>h << 2));
      store<f32>(dx + (<usize>(r * D + d) << 2), s);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Element-wise: ReLU and dropout's mask product (exact: one comparison or one product each).

/** y = max(0, x); NaN passes through (NaN < 0 is false), as in activations.ts. */
export function reluForward(x: usize, y: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= length; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(y + o, v128.andnot(v, f32x4.lt(v, zero)));
  }
  for (; i < length; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(y + (<usize>i << 2), v < 0 ? 0 : v);
  }
}

/** dx = dy · [y > 0]. */
export function reluBackward(y: usize, dy: usize, dx: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= length; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < length; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

/** out = a · b element-wise (dropout: y = x·mask forward, dx = dy·mask backward). */
export function multiply(a: usize, b: usize, out: usize, length: i32): void {
  let i: i32 = 0;
  for (; i + 4 <= length; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < length; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

// ---------------------------------------------------------------------------------------------
// Sigmoid and tanh (see activations.ts): float64 like the reference, rounded once to float32.
// The forward's exp and tanh are AssemblyScript's own (musl's algorithms in plain IEEE
// arithmetic): the same bits in every JavaScript engine, and within one float32 rounding of the
// reference's Math.exp / Math.tanh. The backward is the reference's arithmetic, two f64 lanes at
// a time: bit-identical.

/** y = 1 / (1 + e^(−x)); x → −∞ gives 0 (e^(−x) overflows to Infinity), NaN stays NaN. */
export function sigmoidForward(x: usize, y: usize, length: i32): void {
  for (let i: i32 = 0; i < length; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>(1 / (1 + Math.exp(-<f64>load<f32>(x + o)))));
  }
}

/** dx = dy · y·(1 − y), evaluated as (dy·y)·(1 − y) in f64 like the reference. */
export function sigmoidBackward(y: usize, dy: usize, dx: usize, length: i32): void {
  const one = f64x2.splat(1);
  let i: i32 = 0;
  for (; i + 2 <= length; i += 2) {
    const o = <usize>i << 2;
    const yi = f64x2.promote_low_f32x4(v128.load64_zero(y + o));
    const gi = f64x2.promote_low_f32x4(v128.load64_zero(dy + o));
    v128.store64_lane(dx + o, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.mul(gi, yi), f64x2.sub(one, yi))), 0);
  }
  if (i < length) {
    const o = <usize>i << 2;
    const yi = <f64>load<f32>(y + o);
    store<f32>(dx + o, <f32>(<f64>load<f32>(dy + o) * yi * (1 - yi)));
  }
}

/** y = tanh(x); ±∞ give ±1, NaN stays NaN. */
export function tanhForward(x: usize, y: usize, length: i32): void {
  for (let i: i32 = 0; i < length; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>Math.tanh(<f64>load<f32>(x + o)));
  }
}

/** dx = dy · (1 − y²) in f64 like the reference. */
export function tanhBackward(y: usize, dy: usize, dx: usize, length: i32): void {
  const one = f64x2.splat(1);
  let i: i32 = 0;
  for (; i + 2 <= length; i += 2) {
    const o = <usize>i << 2;
    const yi = f64x2.promote_low_f32x4(v128.load64_zero(y + o));
    const gi = f64x2.promote_low_f32x4(v128.load64_zero(dy + o));
    v128.store64_lane(dx + o, f32x4.demote_f64x2_zero(f64x2.mul(gi, f64x2.sub(one, f64x2.mul(yi, yi)))), 0);
  }
  if (i < length) {
    const o = <usize>i << 2;
    const yi = <f64>load<f32>(y + o);
    store<f32>(dx + o, <f32>(<f64>load<f32>(dy + o) * (1 - yi * yi)));
  }
}

// ---------------------------------------------------------------------------------------------
// Optimizers (see adam.ts and sgd.ts for the math), f32 lanes.

/**
 * Moments below this are flushed to zero: WebAssembly cannot turn on flush-to-zero, and x86 runs
 * arithmetic on float32 subnormals (< 1.2e-38) many times slower. First-layer moments of pixels
 * that are rarely on decay into that range within an epoch. A moment this small moves no weight.
 */
const tiny: f32 = 1e-30;

/** One tensor in place: w, g, m, v (length). l2x2 = 2·l2 (coupled), shrink = 1 − lr·weightDecay. */
export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, length: i32,
  beta1: f32, beta2: f32, stepSize: f32, epsHat: f32, l2x2: f32, shrink: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const a1 = f32x4.splat(1 - beta1);
  const a2 = f32x4.splat(1 - beta2);
  const step = f32x4.splat(stepSize);
  const eps = f32x4.splat(epsHat);
  const decay = f32x4.splat(l2x2);
  const keep = f32x4.splat(shrink);
  const small = f32x4.splat(tiny);
  let i: i32 = 0;
  for (; i + 4 <= length; i += 4) {
    const o = <usize>i << 2;
    const wi = v128.load(w + o);
    const gi = f32x4.add(v128.load(g + o), f32x4.mul(decay, wi));
    let mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(a1, gi));
    let vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(a2, f32x4.mul(gi, gi)));
    mi = v128.andnot(mi, f32x4.lt(f32x4.abs(mi), small)); // NaN is kept: NaN < tiny is false
    vi = v128.andnot(vi, f32x4.lt(vi, small));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    v128.store(w + o, f32x4.sub(f32x4.mul(keep, wi), f32x4.div(f32x4.mul(step, mi), f32x4.add(f32x4.sqrt(vi), eps))));
  }
  for (; i < length; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + l2x2 * wi;
    let mi = beta1 * load<f32>(m + o) + (1 - beta1) * gi;
    let vi = beta2 * load<f32>(v + o) + (1 - beta2) * gi * gi;
    if (Mathf.abs(mi) < tiny) mi = 0;
    if (vi < tiny) vi = 0;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, shrink * wi - (stepSize * mi) / (Mathf.sqrt(vi) + epsHat));
  }
}

/** SGD with momentum, one tensor in place: v = μ·v + g + 2·l2·w; w −= lr·v. */
export function sgdUpdate(w: usize, g: usize, velocity: usize, length: i32, lr: f32, momentum: f32, l2x2: f32): void {
  const rate = f32x4.splat(lr);
  const mu = f32x4.splat(momentum);
  const decay = f32x4.splat(l2x2);
  let i: i32 = 0;
  for (; i + 4 <= length; i += 4) {
    const o = <usize>i << 2;
    const wi = v128.load(w + o);
    const vi = f32x4.add(f32x4.add(f32x4.mul(mu, v128.load(velocity + o)), v128.load(g + o)), f32x4.mul(decay, wi));
    v128.store(velocity + o, vi);
    v128.store(w + o, f32x4.sub(wi, f32x4.mul(rate, vi)));
  }
  for (; i < length; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    const vi = momentum * load<f32>(velocity + o) + load<f32>(g + o) + l2x2 * wi;
    store<f32>(velocity + o, vi);
    store<f32>(w + o, wi - lr * vi);
  }
}

/** Where the arena may start handing out memory (after this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Softmax cross-entropy (see softmax-cross-entropy.ts), float64 like the reference. Its exp and
// log are AssemblyScript's own (musl's algorithms in plain IEEE arithmetic), so the loss is the
// same bits in every JavaScript engine, where Math.exp and Math.log may differ in the last ulp.

/**
 * Mean loss over the batch; dlogits (N, K) = (softmax − onehot)/N; labels (N) i32; the number of
 * rows whose first argmax equals the label is stored at `correctOut` (i32).
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, n: i32, k: i32, dlogits: usize, correctOut: usize): f64 {
  let lossSum: f64 = 0;
  let correct: i32 = 0;
  const inverseN: f64 = 1 / <f64>n;
  for (let r: i32 = 0; r < n; r++) {
    const o = <usize>(r * k) << 2;
    const label = load<i32>(labels + (<usize>r << 2));
    let max = <f64>load<f32>(logits + o);
    let argmax: i32 = 0;
    for (let j: i32 = 1; j < k; j++) {
      const z = <f64>load<f32>(logits + o + (<usize>j << 2));
      if (z > max) {
        max = z;
        argmax = j;
      }
    }
    if (argmax == label) correct++;
    let sum: f64 = 0;
    for (let j: i32 = 0; j < k; j++) sum += Math.exp(<f64>load<f32>(logits + o + (<usize>j << 2)) - max);
    const zLabel = <f64>load<f32>(logits + o + (<usize>label << 2));
    lossSum += max + Math.log(sum) - zLabel;
    const inv = 1 / (sum * <f64>n);
    for (let j: i32 = 0; j < k; j++) {
      store<f32>(dlogits + o + (<usize>j << 2), <f32>(Math.exp(<f64>load<f32>(logits + o + (<usize>j << 2)) - max) * inv));
    }
    store<f32>(dlogits + o + (<usize>label << 2), <f32>(Math.exp(zLabel - max) * inv - inverseN));
  }
  store<i32>(correctOut, correct);
  return lossSum / <f64>n;
}

// ---------------------------------------------------------------------------------------------
// Clipping (see clip.ts): the reference's arithmetic, so the results are bit-identical.

/** sum + Σ g² in float64, in index order: one tensor's share of the global norm's running sum. */
export function sumSquares(g: usize, length: i32, sum: f64): f64 {
  for (let i: i32 = 0; i < length; i++) {
    const v = <f64>load<f32>(g + (<usize>i << 2));
    sum += v * v;
  }
  return sum;
}

/** g ← g·scale, the product in float64 rounded once to float32. */
export function scaleInPlace(g: usize, length: i32, scale: f64): void {
  for (let i: i32 = 0; i < length; i++) {
    const at = g + (<usize>i << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) * scale));
  }
}

/** g ← clamp(g, −limit, limit); NaN stays NaN (both comparisons are false). */
export function clampInPlace(g: usize, length: i32, limit: f64): void {
  const high = <f32>limit;
  const low = <f32>-limit;
  for (let i: i32 = 0; i < length; i++) {
    const at = g + (<usize>i << 2);
    const v = <f64>load<f32>(at);
    if (v > limit) store<f32>(at, high);
    else if (v < -limit) store<f32>(at, low);
  }
}

// ---------------------------------------------------------------------------------------------
// Kernels kept in files of their own, one concept each.
export { batchNormBackward, batchNormForwardEval, batchNormForwardTrain } from './batch-norm';
export { conv2dBackwardWeights, conv2dForward, pad2d, sumRows } from './conv';
export { maxPoolBackward, maxPoolForward } from './pool';
export { groupNormBackward, groupNormForward } from './group-norm';
