/**
 * Max pooling over 2 × 2 windows, stride 2 (reference: maxPoolForward / maxPoolBackward in
 * engine/layers/max-pool.ts): four channels at a time, the winner's index kept beside its value
 * with lane masks. Ties keep the first position; a NaN wins (as the reference). Bit-identical.
 */

/** y, arg (N, ⌊R/2⌋, ⌊S/2⌋, C): each window's max of x (N, R, S, C) and its index in x. */
export function maxPoolForward(x: usize, n: i32, R: i32, S: i32, C: i32, y: usize, arg: usize): void {
  const Ro = R >> 1;
  const So = S >> 1;
  const rowStep = S * C; // elements from one input row to the next
  let o: usize = 0; // output element
  for (let m: i32 = 0; m < n; m++) {
    for (let i: i32 = 0; i < Ro; i++) {
      for (let j: i32 = 0; j < So; j++) {
        const first = ((m * R + 2 * i) * S + 2 * j) * C; // element index of window position (0, 0), channel 0
        let c: i32 = 0;
        for (; c + 4 <= C; c += 4) {
          const base = i32x4.add(i32x4.splat(first + c), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
          let best = v128.load(x + (<usize>(first + c) << 2));
          let at = base;
          for (let w: i32 = 1; w < 4; w++) {
            const offset = (w >> 1) * rowStep + (w & 1) * C;
            const v = v128.load(x + (<usize>(first + offset + c) << 2));
            const wins = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
            best = v128.bitselect(v, best, wins);
            at = v128.bitselect(i32x4.add(base, i32x4.splat(offset)), at, wins);
          }
          v128.store(y + ((o + <usize>c) << 2), best);
          v128.store(arg + ((o + <usize>c) << 2), at);
        }
        for (; c < C; c++) {
          let best = load<f32>(x + (<usize>(first + c) << 2));
          let at = first + c;
          for (let w: i32 = 1; w < 4; w++) {
            const idx = first + (w >> 1) * rowStep + (w & 1) * C + c;
            const v = load<f32>(x + (<usize>idx << 2));
            if (v > best || (v != v && best == best)) {
              best = v;
              at = idx;
            }
          }
          store<f32>(y + ((o + <usize>c) << 2), best);
          store<i32>(arg + ((o + <usize>c) << 2), at);
        }
        o += <usize>C;
      }
    }
  }
}

/** dx (length) = 0 except dx[arg[o]] += dy[o] for each of the `count` outputs. */
export function maxPoolBackward(dy: usize, arg: usize, count: i32, dx: usize, length: i32): void {
  memory.fill(dx, 0, <usize>length << 2);
  for (let o: i32 = 0; o < count; o++) {
    const at = dx + (<usize>load<i32>(arg + (<usize>o << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(dy + (<usize>o << 2)));
  }
}
