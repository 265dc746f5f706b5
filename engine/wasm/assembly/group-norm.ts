/**
 * Group normalization (references: groupNormForward / groupNormBackward in
 * engine/layers/group-norm.ts; Dense LayerNorm is the case P = 1, G = 1). The same float64
 * arithmetic in the same order as the reference, so the results are bit-identical. x, y, x̂, dy,
 * dx are (N, P, C) float32; 1/σ is (N, G) f64; `sums` is 2C f64 scratch.
 */

export function groupNormForward(
  x: usize, n: i32, P: i32, C: i32, G: i32, gamma: usize, beta: usize, epsilon: f64,
  y: usize, xhat: usize, invStd: usize, sums: usize,
): void {
  const Cg = C / G;
  const M = <f64>(P * Cg);
  const mean = sums + (<usize>C << 3);
  for (let m: i32 = 0; m < n; m++) {
    const o = x + (<usize>(m * P * C) << 2);
    memory.fill(sums, 0, <usize>C << 3);
    for (let p: i32 = 0; p < P; p++) {
      for (let c: i32 = 0; c < C; c++) {
        const at = sums + (<usize>c << 3);
        store<f64>(at, load<f64>(at) + <f64>load<f32>(o + (<usize>(p * C + c) << 2)));
      }
    }
    for (let g: i32 = 0; g < G; g++) {
      let s: f64 = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) s += load<f64>(sums + (<usize>c << 3));
      for (let c = g * Cg; c < (g + 1) * Cg; c++) store<f64>(mean + (<usize>c << 3), s / M);
    }
    memory.fill(sums, 0, <usize>C << 3);
    for (let p: i32 = 0; p < P; p++) {
      for (let c: i32 = 0; c < C; c++) {
        const d = <f64>load<f32>(o + (<usize>(p * C + c) << 2)) - load<f64>(mean + (<usize>c << 3));
        const at = sums + (<usize>c << 3);
        store<f64>(at, load<f64>(at) + d * d);
      }
    }
    for (let g: i32 = 0; g < G; g++) {
      let s: f64 = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) s += load<f64>(sums + (<usize>c << 3));
      const inv = 1 / Math.sqrt(s / M + epsilon);
      store<f64>(invStd + (<usize>(m * G + g) << 3), inv);
      for (let c = g * Cg; c < (g + 1) * Cg; c++) store<f64>(sums + (<usize>c << 3), inv);
    }
    for (let p: i32 = 0; p < P; p++) {
      for (let c: i32 = 0; c < C; c++) {
        const e = <usize>((m * P + p) * C + c) << 2;
        const q = <usize>c << 3;
        const xh = (<f64>load<f32>(x + e) - load<f64>(mean + q)) * load<f64>(sums + q);
        store<f32>(xhat + e, <f32>xh);
        store<f32>(y + e, <f32>(<f64>load<f32>(gamma + (<usize>c << 2)) * xh + <f64>load<f32>(beta + (<usize>c << 2))));
      }
    }
  }
}

export function groupNormBackward(
  dy: usize, xhat: usize, invStd: usize, gamma: usize, n: i32, P: i32, C: i32, G: i32,
  dx: usize, dgamma: usize, dbeta: usize, sums: usize,
): void {
  const Cg = C / G;
  const M = <f64>(P * Cg);
  const sumX = sums + (<usize>C << 3);
  for (let m: i32 = 0; m < n; m++) {
    memory.fill(sums, 0, <usize>C << 4);
    for (let p: i32 = 0; p < P; p++) {
      for (let c: i32 = 0; c < C; c++) {
        const e = <usize>((m * P + p) * C + c) << 2;
        const q = <usize>c << 3;
        const g = <f64>load<f32>(dy + e);
        const gx = g * <f64>load<f32>(xhat + e);
        store<f64>(sums + q, load<f64>(sums + q) + g);
        store<f64>(sumX + q, load<f64>(sumX + q) + gx);
        const ce = <usize>c << 2;
        store<f32>(dbeta + ce, <f32>(<f64>load<f32>(dbeta + ce) + g));
        store<f32>(dgamma + ce, <f32>(<f64>load<f32>(dgamma + ce) + gx));
      }
    }
    for (let g: i32 = 0; g < G; g++) {
      let sg: f64 = 0;
      let sgx: f64 = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) {
        const gm = <f64>load<f32>(gamma + (<usize>c << 2));
        sg += load<f64>(sums + (<usize>c << 3)) * gm;
        sgx += load<f64>(sumX + (<usize>c << 3)) * gm;
      }
      for (let c = g * Cg; c < (g + 1) * Cg; c++) {
        store<f64>(sums + (<usize>c << 3), sg);
        store<f64>(sumX + (<usize>c << 3), sgx);
      }
    }
    for (let p: i32 = 0; p < P; p++) {
      for (let c: i32 = 0; c < C; c++) {
        const e = <usize>((m * P + p) * C + c) << 2;
        const q = <usize>c << 3;
        const inv = load<f64>(invStd + (<usize>(m * G + c / Cg) << 3));
        const v = (inv / M) * (M * <f64>load<f32>(dy + e) * <f64>load<f32>(gamma + (<usize>c << 2)) - load<f64>(sums + q) - <f64>load<f32>(xhat + e) * load<f64>(sumX + q));
        store<f32>(dx + e, <f32>v);
      }
    }
  }
}
