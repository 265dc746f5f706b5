/**
 * Convolution kernels (references in engine/layers/conv2d.ts): a valid stride-1 convolution
 * (used for the forward and, on the padded dy with the turned kernel, for dx), its weight
 * gradient, zero padding and row sums. Channels-last, so the channels out are the contiguous
 * innermost axis of W (k, k, C, F), y and dy: the kernels vectorize over them in f32x4 lanes and
 * keep several output positions in registers so each weight vector loaded serves all of them.
 * Products and sums are float32 (the reference accumulates in float64).
 */

/** out (N, R+2p, S+2p, C) = x (N, R, S, C) with p zeros on every side of each image. */
export function pad2d(x: usize, n: i32, R: i32, S: i32, C: i32, p: i32, out: usize): void {
  const rowBytes = <usize>(S * C) << 2;
  if (p == 0) {
    memory.copy(out, x, <usize>n * <usize>R * rowBytes);
    return;
  }
  const Rp = R + 2 * p;
  const Sp = S + 2 * p;
  memory.fill(out, 0, (<usize>n * <usize>Rp * <usize>Sp * <usize>C) << 2);
  for (let m: i32 = 0; m < n; m++) {
    for (let i: i32 = 0; i < R; i++) {
      const to = out + ((<usize>((m * Rp + i + p) * Sp + p) * <usize>C) << 2);
      memory.copy(to, x + <usize>(m * R + i) * rowBytes, rowBytes);
    }
  }
}

/**
 * y (N, R−k+1, S−k+1, F) = b + x (N, R, S, C) ⋆ W (k, k, C, F); b = 0 means no bias. For one
 * kernel row u, the k·C inputs under it are contiguous in x and their weights are contiguous rows
 * of W, so the inner loop walks t = 0 … k·C − 1. Channels out go in blocks of 16 (two positions
 * at a time), 8 and 4 (four positions at a time), then one by one.
 */
export function conv2dForward(x: usize, n: i32, R: i32, S: i32, C: i32, W: usize, F: i32, k: i32, b: usize, y: usize): void {
  const Ro = R - k + 1;
  const So = S - k + 1;
  const KC = k * C;
  const pix = <usize>C << 2; // bytes from one input position to the next
  const xRowBytes = <usize>(S * C) << 2;
  const fBytes = <usize>F << 2; // bytes of one row of W, or one output position
  for (let m: i32 = 0; m < n; m++) {
    for (let i: i32 = 0; i < Ro; i++) {
      const xRow = x + <usize>(m * R + i) * xRowBytes;
      const yRow = y + <usize>(m * Ro + i) * <usize>So * fBytes;
      let f: i32 = 0;
      for (; f + 16 <= F; f += 16) {
        const fo = <usize>f << 2;
        const bias0 = b ? v128.load(b + fo, 0) : f32x4.splat(0);
        const bias1 = b ? v128.load(b + fo, 16) : f32x4.splat(0);
        const bias2 = b ? v128.load(b + fo, 32) : f32x4.splat(0);
        const bias3 = b ? v128.load(b + fo, 48) : f32x4.splat(0);
        let j: i32 = 0;
        for (; j + 2 <= So; j += 2) {
          let a0 = bias0, a1 = bias1, a2 = bias2, a3 = bias3;
          let c0 = bias0, c1 = bias1, c2 = bias2, c3 = bias3;
          for (let u: i32 = 0; u < k; u++) {
            const xo = xRow + <usize>u * xRowBytes + <usize>j * pix;
            let wo = W + <usize>(u * KC) * fBytes + fo;
            for (let t: i32 = 0; t < KC; t++) {
              const xa = v128.load32_splat(xo + (<usize>t << 2));
              const xb = v128.load32_splat(xo + pix + (<usize>t << 2));
              const w0 = v128.load(wo, 0), w1 = v128.load(wo, 16), w2 = v128.load(wo, 32), w3 = v128.load(wo, 48);
              a0 = f32x4.add(a0, f32x4.mul(xa, w0)); a1 = f32x4.add(a1, f32x4.mul(xa, w1));
              a2 = f32x4.add(a2, f32x4.mul(xa, w2)); a3 = f32x4.add(a3, f32x4.mul(xa, w3));
              c0 = f32x4.add(c0, f32x4.mul(xb, w0)); c1 = f32x4.add(c1, f32x4.mul(xb, w1));
              c2 = f32x4.add(c2, f32x4.mul(xb, w2)); c3 = f32x4.add(c3, f32x4.mul(xb, w3));
              wo += fBytes;
            }
          }
          const yo = yRow + <usize>j * fBytes + fo;
          v128.store(yo, a0, 0); v128.store(yo, a1, 16); v128.store(yo, a2, 32); v128.store(yo, a3, 48);
          v128.store(yo + fBytes, c0, 0); v128.store(yo + fBytes, c1, 16); v128.store(yo + fBytes, c2, 32); v128.store(yo + fBytes, c3, 48);
        }
        for (; j < So; j++) {
          let a0 = bias0, a1 = bias1, a2 = bias2, a3 = bias3;
          for (let u: i32 = 0; u < k; u++) {
            const xo = xRow + <usize>u * xRowBytes + <usize>j * pix;
            let wo = W + <usize>(u * KC) * fBytes + fo;
            for (let t: i32 = 0; t < KC; t++) {
              const xa = v128.load32_splat(xo + (<usize>t << 2));
              a0 = f32x4.add(a0, f32x4.mul(xa, v128.load(wo, 0))); a1 = f32x4.add(a1, f32x4.mul(xa, v128.load(wo, 16)));
              a2 = f32x4.add(a2, f32x4.mul(xa, v128.load(wo, 32))); a3 = f32x4.add(a3, f32x4.mul(xa, v128.load(wo, 48)));
              wo += fBytes;
            }
          }
          const yo = yRow + <usize>j * fBytes + fo;
          v128.store(yo, a0, 0); v128.store(yo, a1, 16); v128.store(yo, a2, 32); v128.store(yo, a3, 48);
        }
      }
      for (; f + 8 <= F; f += 8) {
        const fo = <usize>f << 2;
        const bias0 = b ? v128.load(b + fo, 0) : f32x4.splat(0);
        const bias1 = b ? v128.load(b + fo, 16) : f32x4.splat(0);
        let j: i32 = 0;
        for (; j + 4 <= So; j += 4) {
          let a0 = bias0, a1 = bias1, c0 = bias0, c1 = bias1, d0 = bias0, d1 = bias1, e0 = bias0, e1 = bias1;
          for (let u: i32 = 0; u < k; u++) {
            const xo = xRow + <usize>u * xRowBytes + <usize>j * pix;
            let wo = W + <usize>(u * KC) * fBytes + fo;
            for (let t: i32 = 0; t < KC; t++) {
              const at = xo + (<usize>t << 2);
              const w0 = v128.load(wo, 0), w1 = v128.load(wo, 16);
              const xa = v128.load32_splat(at);
              a0 = f32x4.add(a0, f32x4.mul(xa, w0)); a1 = f32x4.add(a1, f32x4.mul(xa, w1));
              const xb = v128.load32_splat(at + pix);
              c0 = f32x4.add(c0, f32x4.mul(xb, w0)); c1 = f32x4.add(c1, f32x4.mul(xb, w1));
              const xc = v128.load32_splat(at + 2 * pix);
              d0 = f32x4.add(d0, f32x4.mul(xc, w0)); d1 = f32x4.add(d1, f32x4.mul(xc, w1));
              const xd = v128.load32_splat(at + 3 * pix);
              e0 = f32x4.add(e0, f32x4.mul(xd, w0)); e1 = f32x4.add(e1, f32x4.mul(xd, w1));
              wo += fBytes;
            }
          }
          const yo = yRow + <usize>j * fBytes + fo;
          v128.store(yo, a0, 0); v128.store(yo, a1, 16);
          v128.store(yo + fBytes, c0, 0); v128.store(yo + fBytes, c1, 16);
          v128.store(yo + 2 * fBytes, d0, 0); v128.store(yo + 2 * fBytes, d1, 16);
          v128.store(yo + 3 * fBytes, e0, 0); v128.store(yo + 3 * fBytes, e1, 16);
        }
        for (; j < So; j++) {
          let a0 = bias0, a1 = bias1;
          for (let u: i32 = 0; u < k; u++) {
            const xo = xRow + <usize>u * xRowBytes + <usize>j * pix;
            let wo = W + <usize>(u * KC) * fBytes + fo;
            for (let t: i32 = 0; t < KC; t++) {
              const xa = v128.load32_splat(xo + (<usize>t << 2));
              a0 = f32x4.add(a0, f32x4.mul(xa, v128.load(wo, 0))); a1 = f32x4.add(a1, f32x4.mul(xa, v128.load(wo, 16)));
              wo += fBytes;
            }
          }
          const yo = yRow + <usize>j * fBytes + fo;
          v128.store(yo, a0, 0); v128.store(yo, a1, 16);
        }
      }
      for (; f + 4 <= F; f += 4) {
        const fo = <usize>f << 2;
        const bias0 = b ? v128.load(b + fo) : f32x4.splat(0);
        for (let j: i32 = 0; j < So; j++) {
          let a0 = bias0;
          for (let u: i32 = 0; u < k; u++) {
            const xo = xRow + <usize>u * xRowBytes + <usize>j * pix;
            let wo = W + <usize>(u * KC) * fBytes + fo;
            for (let t: i32 = 0; t < KC; t++) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xo + (<usize>t << 2)), v128.load(wo)));
              wo += fBytes;
            }
          }
          v128.store(yRow + <usize>j * fBytes + fo, a0);
        }
      }
      for (; f < F; f++) {
        const fo = <usize>f << 2;
        const bias0: f32 = b ? load<f32>(b + fo) : 0;
        for (let j: i32 = 0; j < So; j++) {
          let a0 = bias0;
          for (let u: i32 = 0; u < k; u++) {
            const xo = xRow + <usize>u * xRowBytes + <usize>j * pix;
            let wo = W + <usize>(u * KC) * fBytes + fo;
            for (let t: i32 = 0; t < KC; t++) {
              a0 += load<f32>(xo + (<usize>t << 2)) * load<f32>(wo);
              wo += fBytes;
            }
          }
          store<f32>(yRow + <usize>j * fBytes + fo, a0);
        }
      }
    }
  }
}

/**
 * dW (k, k, C, F) += Σ_{n,i,j} xp[n, i+u, j+v, c]·dy[n,i,j,·] for every (u, v, c), with xp
 * (N, Ro+k−1, So+k−1, C) and dy (N, Ro, So, F). Each row of dW is summed in registers over all
 * positions and added once; the dy vectors loaded at a position serve several rows of dW
 * (16 channels out × 2 rows, or 8 × 4), any rest four channels out at a time. For one kernel row
 * u, the k·C inputs under it (t = v·C + c) are contiguous in xp and their rows of dW too, so the
 * rows are blocked over t: with one input channel a block still holds 4 rows (2× faster than
 * blocking over c alone for the first layer, bench/conv-im2col.ts), and each row's sum is the
 * same, in the same order.
 */
export function conv2dBackwardWeights(xp: usize, dy: usize, n: i32, Ro: i32, So: i32, C: i32, F: i32, k: i32, dW: usize): void {
  const R = Ro + k - 1;
  const S = So + k - 1;
  const pix = <usize>C << 2;
  const xRowBytes = <usize>(S * C) << 2;
  const fBytes = <usize>F << 2;
  const KC = k * C;
  for (let u: i32 = 0; u < k; u++) {
    const wRow = dW + <usize>(u * KC) * fBytes;
    let f: i32 = 0;
    for (; f + 16 <= F; f += 16) {
      const fo = <usize>f << 2;
      for (let t: i32 = 0; t < KC; t += 2) {
        const two = t + 1 < KC;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
        for (let m: i32 = 0; m < n; m++) {
          for (let i: i32 = 0; i < Ro; i++) {
            let xo = xp + <usize>(m * R + i + u) * xRowBytes + (<usize>t << 2);
            let go = dy + <usize>((m * Ro + i) * So) * fBytes + fo;
            for (let j: i32 = 0; j < So; j++) {
              const g0 = v128.load(go, 0), g1 = v128.load(go, 16), g2 = v128.load(go, 32), g3 = v128.load(go, 48);
              const xa = v128.load32_splat(xo);
              a0 = f32x4.add(a0, f32x4.mul(xa, g0)); a1 = f32x4.add(a1, f32x4.mul(xa, g1));
              a2 = f32x4.add(a2, f32x4.mul(xa, g2)); a3 = f32x4.add(a3, f32x4.mul(xa, g3));
              const xb = two ? v128.load32_splat(xo + 4) : f32x4.splat(0); // an odd last row reads nothing past it
              b0 = f32x4.add(b0, f32x4.mul(xb, g0)); b1 = f32x4.add(b1, f32x4.mul(xb, g1));
              b2 = f32x4.add(b2, f32x4.mul(xb, g2)); b3 = f32x4.add(b3, f32x4.mul(xb, g3));
              xo += pix;
              go += fBytes;
            }
          }
        }
        const wa = wRow + <usize>t * fBytes + fo;
        v128.store(wa, f32x4.add(v128.load(wa, 0), a0), 0); v128.store(wa, f32x4.add(v128.load(wa, 16), a1), 16);
        v128.store(wa, f32x4.add(v128.load(wa, 32), a2), 32); v128.store(wa, f32x4.add(v128.load(wa, 48), a3), 48);
        if (two) {
          const wb = wa + fBytes;
          v128.store(wb, f32x4.add(v128.load(wb, 0), b0), 0); v128.store(wb, f32x4.add(v128.load(wb, 16), b1), 16);
          v128.store(wb, f32x4.add(v128.load(wb, 32), b2), 32); v128.store(wb, f32x4.add(v128.load(wb, 48), b3), 48);
        }
      }
    }
    for (; f + 8 <= F; f += 8) {
      const fo = <usize>f << 2;
      for (let t: i32 = 0; t < KC; t += 4) {
        const left = KC - t; // rows of dW in this block: 1 to 4 (the others' sums are computed and dropped)
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
        for (let m: i32 = 0; m < n; m++) {
          for (let i: i32 = 0; i < Ro; i++) {
            let xo = xp + <usize>(m * R + i + u) * xRowBytes + (<usize>t << 2);
            let go = dy + <usize>((m * Ro + i) * So) * fBytes + fo;
            if (left >= 4) {
              for (let j: i32 = 0; j < So; j++) {
                const g0 = v128.load(go, 0), g1 = v128.load(go, 16);
                const xa = v128.load32_splat(xo), xb = v128.load32_splat(xo + 4), xc = v128.load32_splat(xo + 8), xd = v128.load32_splat(xo + 12);
                a0 = f32x4.add(a0, f32x4.mul(xa, g0)); a1 = f32x4.add(a1, f32x4.mul(xa, g1));
                b0 = f32x4.add(b0, f32x4.mul(xb, g0)); b1 = f32x4.add(b1, f32x4.mul(xb, g1));
                c0 = f32x4.add(c0, f32x4.mul(xc, g0)); c1 = f32x4.add(c1, f32x4.mul(xc, g1));
                d0 = f32x4.add(d0, f32x4.mul(xd, g0)); d1 = f32x4.add(d1, f32x4.mul(xd, g1));
                xo += pix;
                go += fBytes;
              }
            } else {
              for (let j: i32 = 0; j < So; j++) {
                const g0 = v128.load(go, 0), g1 = v128.load(go, 16);
                const xa = v128.load32_splat(xo);
                a0 = f32x4.add(a0, f32x4.mul(xa, g0)); a1 = f32x4.add(a1, f32x4.mul(xa, g1));
                if (left > 1) {
                  const xb = v128.load32_splat(xo + 4);
                  b0 = f32x4.add(b0, f32x4.mul(xb, g0)); b1 = f32x4.add(b1, f32x4.mul(xb, g1));
                }
                if (left > 2) {
                  const xc = v128.load32_splat(xo + 8);
                  c0 = f32x4.add(c0, f32x4.mul(xc, g0)); c1 = f32x4.add(c1, f32x4.mul(xc, g1));
                }
                xo += pix;
                go += fBytes;
              }
            }
          }
        }
        const wa = wRow + <usize>t * fBytes + fo;
        v128.store(wa, f32x4.add(v128.load(wa, 0), a0), 0); v128.store(wa, f32x4.add(v128.load(wa, 16), a1), 16);
        if (left > 1) { v128.store(wa + fBytes, f32x4.add(v128.load(wa + fBytes, 0), b0), 0); v128.store(wa + fBytes, f32x4.add(v128.load(wa + fBytes, 16), b1), 16); }
        if (left > 2) { v128.store(wa + 2 * fBytes, f32x4.add(v128.load(wa + 2 * fBytes, 0), c0), 0); v128.store(wa + 2 * fBytes, f32x4.add(v128.load(wa + 2 * fBytes, 16), c1), 16); }
        if (left > 3) { v128.store(wa + 3 * fBytes, f32x4.add(v128.load(wa + 3 * fBytes, 0), d0), 0); v128.store(wa + 3 * fBytes, f32x4.add(v128.load(wa + 3 * fBytes, 16), d1), 16); }
      }
    }
    for (; f < F; f += 4) {
      const fo = <usize>f << 2;
      const rest = F - f; // 1 to 4 channels out
      for (let t: i32 = 0; t < KC; t++) {
        let a = f32x4.splat(0);
        for (let m: i32 = 0; m < n; m++) {
          for (let i: i32 = 0; i < Ro; i++) {
            let xo = xp + <usize>(m * R + i + u) * xRowBytes + (<usize>t << 2);
            let go = dy + <usize>((m * Ro + i) * So) * fBytes + fo;
            for (let j: i32 = 0; j < So; j++) {
              a = f32x4.add(a, f32x4.mul(v128.load32_splat(xo), rest >= 4 ? v128.load(go) : partial(go, rest)));
              xo += pix;
              go += fBytes;
            }
          }
        }
        addInto(wRow + <usize>t * fBytes + fo, a, rest);
      }
    }
  }
}

/** The first `count` (< 4) floats at `at`, zeros after: never reads past the end of a row. */
// @ts-ignore: decorator
@inline function partial(at: usize, count: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/** Adds the first min(count, 4) lanes of `a` into the floats at `at`. */
// @ts-ignore: decorator
@inline function addInto(at: usize, a: v128, count: i32): void {
  if (count >= 4) {
    v128.store(at, f32x4.add(v128.load(at), a));
    return;
  }
  store<f32>(at, load<f32>(at) + f32x4.extract_lane(a, 0));
  if (count > 1) store<f32>(at, load<f32>(at, 4) + f32x4.extract_lane(a, 1), 4);
  if (count > 2) store<f32>(at, load<f32>(at, 8) + f32x4.extract_lane(a, 2), 8);
}

/** out (F) += the column sums of dy (rows, F): the bias gradient. */
export function sumRows(dy: usize, rows: i32, F: i32, out: usize): void {
  const fBytes = <usize>F << 2;
  for (let f: i32 = 0; f < F; f += 4) {
    const left = F - f;
    let a = f32x4.splat(0);
    let go = dy + (<usize>f << 2);
    for (let r: i32 = 0; r < rows; r++) {
      a = f32x4.add(a, left >= 4 ? v128.load(go) : partial(go, left));
      go += fBytes;
    }
    addInto(out + (<usize>f << 2), a, left);
  }
}
