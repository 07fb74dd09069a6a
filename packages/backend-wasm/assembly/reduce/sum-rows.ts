/**
 * Column sums of a `rows` x `cols` matrix (the gradient of a bias). Sums accumulate in
 * double precision, row after row, as the reference backend's do, so results equal
 * the reference's exactly. Eight columns at a time keep their sums in registers.
 */
import { highPair, joinPairs, lowPair } from '../elementwise/lanes';

/** `out[j] = Σ_r x[r, j]`. */
export function sumRows(rows: i32, cols: i32, x: usize, out: usize): void {
  const line = <usize>cols << 2;
  const vectorEnd = cols & ~7;
  for (let j = 0; j < vectorEnd; j += 8) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let at = x + (<usize>j << 2);
    for (let r = 0; r < rows; r++) {
      const u = v128.load(at), v = v128.load(at, 16);
      s0 = f64x2.add(s0, lowPair(u)); s1 = f64x2.add(s1, highPair(u));
      s2 = f64x2.add(s2, lowPair(v)); s3 = f64x2.add(s3, highPair(v));
      at += line;
    }
    v128.store(out + (<usize>j << 2), joinPairs(s0, s1));
    v128.store(out + (<usize>j << 2), joinPairs(s2, s3), 16);
  }
  for (let j = vectorEnd; j < cols; j++) {
    let s: f64 = 0;
    let at = x + (<usize>j << 2);
    for (let r = 0; r < rows; r++) {
      s += <f64>load<f32>(at);
      at += line;
    }
    store<f32>(out + (<usize>j << 2), <f32>s);
  }
}
