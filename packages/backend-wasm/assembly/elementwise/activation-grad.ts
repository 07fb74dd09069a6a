/**
 * `dy · f'(z)` written through the activation's output `y = f(z)`: relu' = [y > 0]
 * (so relu'(0) = 0), sigmoid' = y(1 - y), tanh' = 1 - y². Sigmoid and tanh multiply in
 * double precision in the reference's order, so results equal the reference's exactly.
 */
import { LINEAR, RELU, SIGMOID } from './activation';
import { highPair, joinPairs, lowPair } from './lanes';

/** `out[i] = dy[i] · f'(y[i])` for `n` elements. */
export function activationGrad(activation: i32, n: i32, dy: usize, y: usize, out: usize): void {
  if (activation == LINEAR) {
    memory.copy(out, dy, <usize>n << 2);
    return;
  }
  const vectorEnd = n & ~3;
  const zero = f32x4.splat(0);
  const one = f64x2.splat(1);
  for (let i = 0; i < vectorEnd; i += 4) {
    const at = <usize>i << 2;
    const d = v128.load(dy + at);
    const v = v128.load(y + at);
    let g: v128;
    if (activation == RELU) g = v128.and(d, f32x4.gt(v, zero));
    else if (activation == SIGMOID) {
      const vl = lowPair(v), vh = highPair(v);
      g = joinPairs(
        f64x2.mul(f64x2.mul(lowPair(d), vl), f64x2.sub(one, vl)),
        f64x2.mul(f64x2.mul(highPair(d), vh), f64x2.sub(one, vh)),
      );
    } else {
      const vl = lowPair(v), vh = highPair(v);
      g = joinPairs(
        f64x2.mul(lowPair(d), f64x2.sub(one, f64x2.mul(vl, vl))),
        f64x2.mul(highPair(d), f64x2.sub(one, f64x2.mul(vh, vh))),
      );
    }
    v128.store(out + at, g);
  }
  for (let i = vectorEnd; i < n; i++) {
    const at = <usize>i << 2;
    const d = <f64>load<f32>(dy + at);
    const v = <f64>load<f32>(y + at);
    const g = activation == RELU ? (v > 0 ? d : 0) : activation == SIGMOID ? d * v * (1 - v) : d * (1 - v * v);
    store<f32>(out + at, <f32>g);
  }
}
