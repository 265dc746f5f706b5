/**
 * Batch normalization (references: batchNormForwardTrain, batchNormForwardEval and
 * batchNormBackward in engine/layers/batch-norm.ts), for the Dense BN and the spatial BN, which
 * is the same layer over N·R·S rows. The reference's float64 arithmetic in its order, four
 * features at a time as two f64x2 halves of each f32x4 load (lane-wise IEEE operations, no fused
 * multiply-add): bit-identical to the reference. Per-feature sums stay in registers while the
 * rows stream past. x, y, x̂, dy, dx, γ, β and the moving statistics are f32; mean, variance,
 * 1/σ and the scratch sums are f64 (H each).
 *
 * `ablation` is the variant's code in the reference's `bnAblations`: 0 'full', 1 'center'
 * (x̂ = x − μ), 2 'scale' (x̂ = x·s), 3 'frozen-affine' (full, γ = 1 and β = 0 held by the caller,
 * no dγ, dβ). The variants differ only in per-feature values chosen outside the row loops, so the
 * 'full' path does the arithmetic it always did.
 */

const CENTER: i32 = 1;
const SCALE: i32 = 2;
const FROZEN: i32 = 3;

// @ts-ignore: decorator
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Two f64x2 rounded to one f32x4 (a's lanes first). */
// @ts-ignore: decorator
@inline function pack(a: v128, b: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** Train forward; mean, variance and invStd are f64 (H); the others f32. */
export function batchNormForwardTrain(
  x: usize, n: i32, H: i32, gamma: usize, beta: usize, movingMean: usize, movingVariance: usize,
  momentum: f64, epsilon: f64, correction: f64, y: usize, xhat: usize,
  mean: usize, variance: usize, invStd: usize, lastMean: usize, lastVariance: usize, ablation: i32,
): void {
  const rowBytes = <usize>H << 2;
  const H4 = H & ~3;
  for (let h: i32 = 0; h < H4; h += 4) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let at = x + (<usize>h << 2);
    for (let r: i32 = 0; r < n; r++) {
      const v = v128.load(at);
      s0 = f64x2.add(s0, low(v));
      s1 = f64x2.add(s1, high(v));
      at += rowBytes;
    }
    v128.store(mean + (<usize>h << 3), s0);
    v128.store(mean + (<usize>h << 3), s1, 16);
  }
  for (let h = H4; h < H; h++) {
    let s: f64 = 0;
    for (let r: i32 = 0; r < n; r++) s += <f64>load<f32>(x + <usize>r * rowBytes + (<usize>h << 2));
    store<f64>(mean + (<usize>h << 3), s);
  }
  for (let h: i32 = 0; h < H; h++) store<f64>(mean + (<usize>h << 3), load<f64>(mean + (<usize>h << 3)) / <f64>n);
  for (let h: i32 = 0; h < H4; h += 4) {
    const m0 = v128.load(mean + (<usize>h << 3)), m1 = v128.load(mean + (<usize>h << 3), 16);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let at = x + (<usize>h << 2);
    for (let r: i32 = 0; r < n; r++) {
      const v = v128.load(at);
      const d0 = f64x2.sub(low(v), m0), d1 = f64x2.sub(high(v), m1);
      s0 = f64x2.add(s0, f64x2.mul(d0, d0));
      s1 = f64x2.add(s1, f64x2.mul(d1, d1));
      at += rowBytes;
    }
    v128.store(variance + (<usize>h << 3), s0);
    v128.store(variance + (<usize>h << 3), s1, 16);
  }
  for (let h = H4; h < H; h++) {
    const m = load<f64>(mean + (<usize>h << 3));
    let s: f64 = 0;
    for (let r: i32 = 0; r < n; r++) {
      const d = <f64>load<f32>(x + <usize>r * rowBytes + (<usize>h << 2)) - m;
      s += d * d;
    }
    store<f64>(variance + (<usize>h << 3), s);
  }
  for (let h: i32 = 0; h < H; h++) {
    const vh = load<f64>(variance + (<usize>h << 3)) / <f64>n;
    store<f64>(variance + (<usize>h << 3), vh);
    store<f64>(invStd + (<usize>h << 3), 1 / Math.sqrt(vh + epsilon));
  }
  // x̂ = (x − c)·k as the reference: 'scale' subtracts c = 0, 'center' multiplies by k = 1 (both exact).
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  for (let h: i32 = 0; h < H4; h += 4) {
    const q = <usize>h << 3;
    const m0 = ablation == SCALE ? zero : v128.load(mean + q), m1 = ablation == SCALE ? zero : v128.load(mean + q, 16);
    const i0 = ablation == CENTER ? one : v128.load(invStd + q), i1 = ablation == CENTER ? one : v128.load(invStd + q, 16);
    const gv = v128.load(gamma + (<usize>h << 2)), bv = v128.load(beta + (<usize>h << 2));
    const g0 = low(gv), g1 = high(gv), b0 = low(bv), b1 = high(bv);
    let o = <usize>h << 2;
    for (let r: i32 = 0; r < n; r++) {
      const v = v128.load(x + o);
      const xh0 = f64x2.mul(f64x2.sub(low(v), m0), i0);
      const xh1 = f64x2.mul(f64x2.sub(high(v), m1), i1);
      v128.store(xhat + o, pack(xh0, xh1));
      v128.store(y + o, pack(f64x2.add(f64x2.mul(g0, xh0), b0), f64x2.add(f64x2.mul(g1, xh1), b1)));
      o += rowBytes;
    }
  }
  for (let h = H4; h < H; h++) {
    const e = <usize>h << 2;
    const m = ablation == SCALE ? 0 : load<f64>(mean + (<usize>h << 3));
    const inv = ablation == CENTER ? 1 : load<f64>(invStd + (<usize>h << 3));
    const g = <f64>load<f32>(gamma + e), b = <f64>load<f32>(beta + e);
    for (let r: i32 = 0; r < n; r++) {
      const o = <usize>r * rowBytes + e;
      const xh = (<f64>load<f32>(x + o) - m) * inv;
      store<f32>(xhat + o, <f32>xh);
      store<f32>(y + o, <f32>(g * xh + b));
    }
  }
  for (let h: i32 = 0; h < H; h++) {
    const e = <usize>h << 2;
    const m = load<f64>(mean + (<usize>h << 3));
    const v = load<f64>(variance + (<usize>h << 3));
    store<f32>(movingMean + e, <f32>(momentum * <f64>load<f32>(movingMean + e) + (1 - momentum) * m));
    store<f32>(movingVariance + e, <f32>(momentum * <f64>load<f32>(movingVariance + e) + (1 - momentum) * v * correction));
    store<f32>(lastMean + e, <f32>m);
    store<f32>(lastVariance + e, <f32>v);
  }
}

/** Eval forward: scale = γ/√(v+ε) (γ for 'center'), shift = β − m·scale (β for 'scale') (f64, H), then y = x·scale + shift. */
export function batchNormForwardEval(
  x: usize, n: i32, H: i32, gamma: usize, beta: usize, movingMean: usize, movingVariance: usize,
  epsilon: f64, y: usize, scale: usize, shift: usize, ablation: i32,
): void {
  for (let h: i32 = 0; h < H; h++) {
    const e = <usize>h << 2;
    const g = <f64>load<f32>(gamma + e), b = <f64>load<f32>(beta + e);
    const s = ablation == CENTER ? g : g / Math.sqrt(<f64>load<f32>(movingVariance + e) + epsilon);
    store<f64>(scale + (<usize>h << 3), s);
    store<f64>(shift + (<usize>h << 3), ablation == SCALE ? b : b - <f64>load<f32>(movingMean + e) * s);
  }
  const rowBytes = <usize>H << 2;
  const H4 = H & ~3;
  for (let h: i32 = 0; h < H4; h += 4) {
    const q = <usize>h << 3;
    const s0 = v128.load(scale + q), s1 = v128.load(scale + q, 16);
    const t0 = v128.load(shift + q), t1 = v128.load(shift + q, 16);
    let o = <usize>h << 2;
    for (let r: i32 = 0; r < n; r++) {
      const v = v128.load(x + o);
      v128.store(y + o, pack(f64x2.add(f64x2.mul(low(v), s0), t0), f64x2.add(f64x2.mul(high(v), s1), t1)));
      o += rowBytes;
    }
  }
  for (let h = H4; h < H; h++) {
    const e = <usize>h << 2;
    const s = load<f64>(scale + (<usize>h << 3)), t = load<f64>(shift + (<usize>h << 3));
    for (let r: i32 = 0; r < n; r++) {
      const o = <usize>r * rowBytes + e;
      store<f32>(y + o, <f32>(<f64>load<f32>(x + o) * s + t));
    }
  }
}

/**
 * Backward; sumDy, sumDyXhat and coef are f64 (H) scratch; dgamma and dbeta accumulate (not for
 * 'frozen-affine'); mean (f64, H) is the batch mean, read by 'scale'.
 */
export function batchNormBackward(
  dy: usize, xhat: usize, invStd: usize, gamma: usize, n: i32, H: i32,
  sumDy: usize, sumDyXhat: usize, coef: usize, dx: usize, dgamma: usize, dbeta: usize, mean: usize, ablation: i32,
): void {
  const rowBytes = <usize>H << 2;
  const H4 = H & ~3;
  for (let h: i32 = 0; h < H4; h += 4) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), c0 = f64x2.splat(0), c1 = f64x2.splat(0);
    let o = <usize>h << 2;
    for (let r: i32 = 0; r < n; r++) {
      const g = v128.load(dy + o), xh = v128.load(xhat + o);
      const g0 = low(g), g1 = high(g);
      a0 = f64x2.add(a0, g0);
      a1 = f64x2.add(a1, g1);
      c0 = f64x2.add(c0, f64x2.mul(g0, low(xh)));
      c1 = f64x2.add(c1, f64x2.mul(g1, high(xh)));
      o += rowBytes;
    }
    const q = <usize>h << 3;
    v128.store(sumDy + q, a0);
    v128.store(sumDy + q, a1, 16);
    v128.store(sumDyXhat + q, c0);
    v128.store(sumDyXhat + q, c1, 16);
  }
  for (let h = H4; h < H; h++) {
    let a: f64 = 0, c: f64 = 0;
    for (let r: i32 = 0; r < n; r++) {
      const o = <usize>r * rowBytes + (<usize>h << 2);
      const g = <f64>load<f32>(dy + o);
      a += g;
      c += g * <f64>load<f32>(xhat + o);
    }
    store<f64>(sumDy + (<usize>h << 3), a);
    store<f64>(sumDyXhat + (<usize>h << 3), c);
  }
  for (let h: i32 = 0; h < H; h++) {
    const q = <usize>h << 3;
    const g = <f64>load<f32>(gamma + (<usize>h << 2));
    store<f64>(coef + q, ablation == CENTER ? g / <f64>n : (g * load<f64>(invStd + q)) / <f64>n);
  }
  if (ablation == CENTER || ablation == SCALE) {
    batchNormBackwardPart(dy, xhat, invStd, n, H, sumDy, sumDyXhat, coef, dx, mean, ablation);
  } else {
    batchNormBackwardFull(dy, xhat, n, H, sumDy, sumDyXhat, coef, dx);
  }
  if (ablation == FROZEN) return;
  for (let h: i32 = 0; h < H; h++) {
    const e = <usize>h << 2;
    const q = <usize>h << 3;
    store<f32>(dgamma + e, <f32>(<f64>load<f32>(dgamma + e) + load<f64>(sumDyXhat + q)));
    store<f32>(dbeta + e, <f32>(<f64>load<f32>(dbeta + e) + load<f64>(sumDy + q)));
  }
}

/** dx of 'full' and 'frozen-affine': coef·(N·dy − Σ dy − x̂·Σ dy·x̂). */
// @ts-ignore: decorator
@inline function batchNormBackwardFull(
  dy: usize, xhat: usize, n: i32, H: i32, sumDy: usize, sumDyXhat: usize, coef: usize, dx: usize,
): void {
  const rowBytes = <usize>H << 2;
  const H4 = H & ~3;
  const nf = f64x2.splat(<f64>n);
  for (let h: i32 = 0; h < H4; h += 4) {
    const q = <usize>h << 3;
    const k0 = v128.load(coef + q), k1 = v128.load(coef + q, 16);
    const a0 = v128.load(sumDy + q), a1 = v128.load(sumDy + q, 16);
    const c0 = v128.load(sumDyXhat + q), c1 = v128.load(sumDyXhat + q, 16);
    let o = <usize>h << 2;
    for (let r: i32 = 0; r < n; r++) {
      const g = v128.load(dy + o), xh = v128.load(xhat + o);
      const v0 = f64x2.mul(k0, f64x2.sub(f64x2.sub(f64x2.mul(nf, low(g)), a0), f64x2.mul(low(xh), c0)));
      const v1 = f64x2.mul(k1, f64x2.sub(f64x2.sub(f64x2.mul(nf, high(g)), a1), f64x2.mul(high(xh), c1)));
      v128.store(dx + o, pack(v0, v1));
      o += rowBytes;
    }
  }
  for (let h = H4; h < H; h++) {
    const q = <usize>h << 3;
    const k = load<f64>(coef + q), a = load<f64>(sumDy + q), c = load<f64>(sumDyXhat + q);
    for (let r: i32 = 0; r < n; r++) {
      const o = <usize>r * rowBytes + (<usize>h << 2);
      store<f32>(dx + o, <f32>(k * (<f64>n * <f64>load<f32>(dy + o) - a - <f64>load<f32>(xhat + o) * c)));
    }
  }
}

/** dx of 'center', coef·(N·dy − Σ dy), and of 'scale', coef·(N·dy − (x̂ − μ·s)·Σ dy·x̂). */
function batchNormBackwardPart(
  dy: usize, xhat: usize, invStd: usize, n: i32, H: i32, sumDy: usize, sumDyXhat: usize, coef: usize, dx: usize,
  mean: usize, ablation: i32,
): void {
  const rowBytes = <usize>H << 2;
  const H4 = H & ~3;
  const nf = f64x2.splat(<f64>n);
  const scale = ablation == SCALE;
  for (let h: i32 = 0; h < H4; h += 4) {
    const q = <usize>h << 3;
    const k0 = v128.load(coef + q), k1 = v128.load(coef + q, 16);
    const a0 = v128.load(sumDy + q), a1 = v128.load(sumDy + q, 16);
    const c0 = v128.load(sumDyXhat + q), c1 = v128.load(sumDyXhat + q, 16);
    const t0 = f64x2.mul(v128.load(mean + q), v128.load(invStd + q));
    const t1 = f64x2.mul(v128.load(mean + q, 16), v128.load(invStd + q, 16));
    let o = <usize>h << 2;
    for (let r: i32 = 0; r < n; r++) {
      const g = v128.load(dy + o);
      let v0: v128, v1: v128;
      if (scale) {
        const xh = v128.load(xhat + o);
        v0 = f64x2.mul(k0, f64x2.sub(f64x2.mul(nf, low(g)), f64x2.mul(f64x2.sub(low(xh), t0), c0)));
        v1 = f64x2.mul(k1, f64x2.sub(f64x2.mul(nf, high(g)), f64x2.mul(f64x2.sub(high(xh), t1), c1)));
      } else {
        v0 = f64x2.mul(k0, f64x2.sub(f64x2.mul(nf, low(g)), a0));
        v1 = f64x2.mul(k1, f64x2.sub(f64x2.mul(nf, high(g)), a1));
      }
      v128.store(dx + o, pack(v0, v1));
      o += rowBytes;
    }
  }
  for (let h = H4; h < H; h++) {
    const q = <usize>h << 3;
    const k = load<f64>(coef + q), a = load<f64>(sumDy + q), c = load<f64>(sumDyXhat + q);
    const t = load<f64>(mean + q) * load<f64>(invStd + q);
    for (let r: i32 = 0; r < n; r++) {
      const o = <usize>r * rowBytes + (<usize>h << 2);
      const g = <f64>n * <f64>load<f32>(dy + o);
      store<f32>(dx + o, <f32>(k * (scale ? g - (<f64>load<f32>(xhat + o) - t) * c : g - a)));
    }
  }
}
