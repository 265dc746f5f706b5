/**
 * Convolution as a matrix product (im2col): the k×k×C window under each output position is copied
 * into one row of a matrix X (N·R'·S', k·k·C), in (u, v, c) order, the row order of W (k, k, C, F)
 * read as a (k·k·C, F) matrix. Then
 *   forward  Y (N·R'·S', F) = X · W + b
 *   dW       dW (k·k·C, F) += Xᵀ · dY
 * Both products keep a 4 × 8 tile of the result in f32x4 registers (4 rows, 8 channels out) while
 * the shared dimension streams past, so each loaded vector serves four rows. Products and sums are
 * float32, summed in the shared dimension's order. References: conv2dForward and
 * conv2dBackwardWeights in engine/layers/conv2d.ts (the same sums).
 */

/** Copies `bytes` (a multiple of 4) from `from` to `to`: short runs, where memory.copy's call costs more. */
// @ts-ignore: decorator
@inline function copyFloats(to: usize, from: usize, bytes: usize): void {
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(to + o, v128.load(from + o));
  for (; o < bytes; o += 4) store<f32>(to + o, load<f32>(from + o));
}

// @ts-ignore: decorator
@inline function zeroFloats(to: usize, bytes: usize): void {
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(to + o, f32x4.splat(0));
  for (; o < bytes; o += 4) store<f32>(to + o, 0);
}

/**
 * X (N·R'·S', k·k·C) from x (N, R, S, C) with p zeros around each image (R' = R + 2p − k + 1):
 * row (m, i, j) holds xp[m, i+u, j+v, c] for u, v < k, c < C. The padding is written here, so
 * no padded copy of x is made.
 */
export function im2col(x: usize, n: i32, R: i32, S: i32, C: i32, k: i32, p: i32, X: usize): void {
  const Ro = R + 2 * p - k + 1;
  const So = S + 2 * p - k + 1;
  const cBytes = <usize>C << 2;
  const rowBytes = <usize>S * cBytes;
  const kBytes = <usize>k * cBytes; // one kernel row's k·C inputs, contiguous in x and in X
  const xRow = <usize>k * kBytes; // one row of X
  for (let m: i32 = 0; m < n; m++) {
    for (let i: i32 = 0; i < Ro; i++) {
      const rowOut = X + <usize>(m * Ro + i) * <usize>So * xRow;
      for (let u: i32 = 0; u < k; u++) {
        const r = i + u - p;
        let out = rowOut + <usize>u * kBytes;
        if (r < 0 || r >= R) {
          for (let j: i32 = 0; j < So; j++, out += xRow) zeroFloats(out, kBytes);
          continue;
        }
        const src = x + <usize>(m * R + r) * rowBytes;
        // Windows reaching past the left or right edge take zeros there; the others are one copy.
        const left = min(p, So);
        const right = max(left, So - p);
        let j: i32 = 0;
        for (; j < left; j++, out += xRow) edgeWindow(out, src, j, k, p, S, cBytes);
        let from = src + <usize>(j - p) * cBytes;
        for (; j < right; j++, out += xRow, from += cBytes) copyFloats(out, from, kBytes);
        for (; j < So; j++, out += xRow) edgeWindow(out, src, j, k, p, S, cBytes);
      }
    }
  }
}

/** The k·C inputs of one kernel row at output column j whose window crosses the image's side. */
function edgeWindow(out: usize, src: usize, j: i32, k: i32, p: i32, S: i32, cBytes: usize): void {
  for (let v: i32 = 0; v < k; v++) {
    const s = j + v - p;
    const to = out + <usize>v * cBytes;
    if (s < 0 || s >= S) zeroFloats(to, cBytes);
    else copyFloats(to, src + <usize>s * cBytes, cBytes);
  }
}

/** Rows of X per pass: 64 rows of 72 floats (layer 2) are 18 KB, held in L1 while every tile of channels out passes over them. */
const rowsPerChunk: i32 = 64;

/** Y (M, F) = X (M, K) · W (K, F) + b; b = 0 means no bias. */
export function im2colForward(X: usize, M: i32, K: i32, W: usize, F: i32, b: usize, Y: usize): void {
  const xRow = <usize>K << 2;
  const fBytes = <usize>F << 2;
  for (let m0: i32 = 0; m0 < M; m0 += rowsPerChunk) {
    forwardChunk(X + <usize>m0 * xRow, min(rowsPerChunk, M - m0), K, W, F, b, Y + <usize>m0 * fBytes);
  }
}

function forwardChunk(X: usize, M: i32, K: i32, W: usize, F: i32, b: usize, Y: usize): void {
  const xRow = <usize>K << 2;
  const fBytes = <usize>F << 2;
  let f: i32 = 0;
  for (; f + 8 <= F; f += 8) {
    const fo = <usize>f << 2;
    const bias0 = b ? v128.load(b + fo, 0) : f32x4.splat(0);
    const bias1 = b ? v128.load(b + fo, 16) : f32x4.splat(0);
    let r: i32 = 0;
    for (; r + 4 <= M; r += 4) {
      let a0 = bias0, a1 = bias1, c0 = bias0, c1 = bias1, d0 = bias0, d1 = bias1, e0 = bias0, e1 = bias1;
      let xo = X + <usize>r * xRow;
      let wo = W + fo;
      for (let t: i32 = 0; t < K; t++) {
        const w0 = v128.load(wo, 0), w1 = v128.load(wo, 16);
        const xa = v128.load32_splat(xo);
        a0 = f32x4.add(a0, f32x4.mul(xa, w0)); a1 = f32x4.add(a1, f32x4.mul(xa, w1));
        const xb = v128.load32_splat(xo + xRow);
        c0 = f32x4.add(c0, f32x4.mul(xb, w0)); c1 = f32x4.add(c1, f32x4.mul(xb, w1));
        const xc = v128.load32_splat(xo + 2 * xRow);
        d0 = f32x4.add(d0, f32x4.mul(xc, w0)); d1 = f32x4.add(d1, f32x4.mul(xc, w1));
        const xd = v128.load32_splat(xo + 3 * xRow);
        e0 = f32x4.add(e0, f32x4.mul(xd, w0)); e1 = f32x4.add(e1, f32x4.mul(xd, w1));
        xo += 4;
        wo += fBytes;
      }
      const yo = Y + <usize>r * fBytes + fo;
      v128.store(yo, a0, 0); v128.store(yo, a1, 16);
      v128.store(yo + fBytes, c0, 0); v128.store(yo + fBytes, c1, 16);
      v128.store(yo + 2 * fBytes, d0, 0); v128.store(yo + 2 * fBytes, d1, 16);
      v128.store(yo + 3 * fBytes, e0, 0); v128.store(yo + 3 * fBytes, e1, 16);
    }
    for (; r < M; r++) {
      let a0 = bias0, a1 = bias1;
      let xo = X + <usize>r * xRow;
      let wo = W + fo;
      for (let t: i32 = 0; t < K; t++) {
        const xa = v128.load32_splat(xo);
        a0 = f32x4.add(a0, f32x4.mul(xa, v128.load(wo, 0))); a1 = f32x4.add(a1, f32x4.mul(xa, v128.load(wo, 16)));
        xo += 4;
        wo += fBytes;
      }
      const yo = Y + <usize>r * fBytes + fo;
      v128.store(yo, a0, 0); v128.store(yo, a1, 16);
    }
  }
  for (; f + 4 <= F; f += 4) {
    const fo = <usize>f << 2;
    const bias0 = b ? v128.load(b + fo) : f32x4.splat(0);
    for (let r: i32 = 0; r < M; r++) {
      let a0 = bias0;
      let xo = X + <usize>r * xRow;
      let wo = W + fo;
      for (let t: i32 = 0; t < K; t++) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xo), v128.load(wo)));
        xo += 4;
        wo += fBytes;
      }
      v128.store(Y + <usize>r * fBytes + fo, a0);
    }
  }
  for (; f < F; f++) {
    const fo = <usize>f << 2;
    const bias0: f32 = b ? load<f32>(b + fo) : 0;
    for (let r: i32 = 0; r < M; r++) {
      let a0 = bias0;
      let xo = X + <usize>r * xRow;
      let wo = W + fo;
      for (let t: i32 = 0; t < K; t++) {
        a0 += load<f32>(xo) * load<f32>(wo);
        xo += 4;
        wo += fBytes;
      }
      store<f32>(Y + <usize>r * fBytes + fo, a0);
    }
  }
}

/** dW (K, F) += Xᵀ · dY for X (M, K), dY (M, F): each tile of 4 rows of dW summed in registers over all M. */
export function im2colBackwardWeights(X: usize, M: i32, K: i32, dY: usize, F: i32, dW: usize): void {
  const xRow = <usize>K << 2;
  const fBytes = <usize>F << 2;
  for (let m0: i32 = 0; m0 < M; m0 += rowsPerChunk) {
    const rows = min(rowsPerChunk, M - m0);
    backwardWeightsChunk(X + <usize>m0 * xRow, rows, K, dY + <usize>m0 * fBytes, F, dW);
  }
}


function backwardWeightsChunk(X: usize, M: i32, K: i32, dY: usize, F: i32, dW: usize): void {
  const xRow = <usize>K << 2;
  const fBytes = <usize>F << 2;
  let f: i32 = 0;
  for (; f + 8 <= F; f += 8) {
    const fo = <usize>f << 2;
    let r: i32 = 0;
    for (; r + 4 <= K; r += 4) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let d0 = f32x4.splat(0), d1 = f32x4.splat(0), e0 = f32x4.splat(0), e1 = f32x4.splat(0);
      let xo = X + (<usize>r << 2);
      let go = dY + fo;
      for (let m: i32 = 0; m < M; m++) {
        const g0 = v128.load(go, 0), g1 = v128.load(go, 16);
        const xa = v128.load32_splat(xo);
        a0 = f32x4.add(a0, f32x4.mul(xa, g0)); a1 = f32x4.add(a1, f32x4.mul(xa, g1));
        const xb = v128.load32_splat(xo + 4);
        c0 = f32x4.add(c0, f32x4.mul(xb, g0)); c1 = f32x4.add(c1, f32x4.mul(xb, g1));
        const xc = v128.load32_splat(xo + 8);
        d0 = f32x4.add(d0, f32x4.mul(xc, g0)); d1 = f32x4.add(d1, f32x4.mul(xc, g1));
        const xd = v128.load32_splat(xo + 12);
        e0 = f32x4.add(e0, f32x4.mul(xd, g0)); e1 = f32x4.add(e1, f32x4.mul(xd, g1));
        xo += xRow;
        go += fBytes;
      }
      const wo = dW + <usize>r * fBytes + fo;
      addTwo(wo, a0, a1);
      addTwo(wo + fBytes, c0, c1);
      addTwo(wo + 2 * fBytes, d0, d1);
      addTwo(wo + 3 * fBytes, e0, e1);
    }
    for (; r < K; r++) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      let xo = X + (<usize>r << 2);
      let go = dY + fo;
      for (let m: i32 = 0; m < M; m++) {
        const xa = v128.load32_splat(xo);
        a0 = f32x4.add(a0, f32x4.mul(xa, v128.load(go, 0))); a1 = f32x4.add(a1, f32x4.mul(xa, v128.load(go, 16)));
        xo += xRow;
        go += fBytes;
      }
      addTwo(dW + <usize>r * fBytes + fo, a0, a1);
    }
  }
  for (; f + 4 <= F; f += 4) {
    const fo = <usize>f << 2;
    for (let r: i32 = 0; r < K; r++) {
      let a0 = f32x4.splat(0);
      let xo = X + (<usize>r << 2);
      let go = dY + fo;
      for (let m: i32 = 0; m < M; m++) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xo), v128.load(go)));
        xo += xRow;
        go += fBytes;
      }
      const wo = dW + <usize>r * fBytes + fo;
      v128.store(wo, f32x4.add(v128.load(wo), a0));
    }
  }
  for (; f < F; f++) {
    const fo = <usize>f << 2;
    for (let r: i32 = 0; r < K; r++) {
      let a0: f32 = 0;
      let xo = X + (<usize>r << 2);
      let go = dY + fo;
      for (let m: i32 = 0; m < M; m++) {
        a0 += load<f32>(xo) * load<f32>(go);
        xo += xRow;
        go += fBytes;
      }
      const wo = dW + <usize>r * fBytes + fo;
      store<f32>(wo, load<f32>(wo) + a0);
    }
  }
}

// @ts-ignore: decorator
@inline function addTwo(at: usize, a: v128, b: v128): void {
  v128.store(at, f32x4.add(v128.load(at, 0), a), 0);
  v128.store(at, f32x4.add(v128.load(at, 16), b), 16);
}
