/**
 * One Adam step over a parameter tensor, in a single pass: new moments and the step
 * direction `(m · c1) / (√(v · c2) + ε)` (see `AdamStep`). Computed in double precision in the
 * reference's order, so every output equals the reference's bit for bit. Threads take
 * chunks of the parameters.
 */
import { control, floatArg, intArg, NEXT_TASK, setFloatArg, setIntArg } from '../threads/control';
import { highPair, joinPairs, lowPair } from './lanes';

const N = 0, GRAD = 1, M = 2, V = 3, DIRECTION = 4, M_OUT = 5, V_OUT = 6;
const BETA1 = 0, BETA2 = 1, EPSILON = 2, CORRECTION1 = 3, CORRECTION2 = 4;

/** Writes an Adam job over `n` elements (addresses of float32 arrays; hyper-parameters as doubles). */
export function writeAdamJob(
  n: i32, grad: usize, m: usize, v: usize, direction: usize, mOut: usize, vOut: usize,
  beta1: f64, beta2: f64, epsilon: f64, correction1: f64, correction2: f64,
): void {
  setIntArg(N, n); setIntArg(GRAD, <i32>grad); setIntArg(M, <i32>m); setIntArg(V, <i32>v);
  setIntArg(DIRECTION, <i32>direction); setIntArg(M_OUT, <i32>mOut); setIntArg(V_OUT, <i32>vOut);
  setFloatArg(BETA1, beta1); setFloatArg(BETA2, beta2); setFloatArg(EPSILON, epsilon);
  setFloatArg(CORRECTION1, correction1); setFloatArg(CORRECTION2, correction2);
  store<i32>(control + NEXT_TASK, 0);
}

/** Elements per task: large enough to amortize a claim, small enough to balance threads. */
const CHUNK: i32 = 8192;

/** Claims and runs chunks of the posted Adam job until none is left. */
export function adamWork(): void {
  const n = intArg(N);
  const tasks = (n + CHUNK - 1) / CHUNK;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const start = task * CHUNK;
    const at = <usize>start << 2;
    adamRange(
      min(CHUNK, n - start), <usize>intArg(GRAD) + at, <usize>intArg(M) + at, <usize>intArg(V) + at,
      <usize>intArg(DIRECTION) + at, <usize>intArg(M_OUT) + at, <usize>intArg(V_OUT) + at,
      floatArg(BETA1), floatArg(BETA2), floatArg(EPSILON), floatArg(CORRECTION1), floatArg(CORRECTION2),
    );
  }
}

/**
 * The Adam step over `n` elements; `direction` may be `grad` itself (each element is read
 * before it is written). The fused optimizer update calls this too.
 */
export function adamRange(
  n: i32, grad: usize, m: usize, v: usize, direction: usize, mOut: usize, vOut: usize,
  beta1: f64, beta2: f64, epsilon: f64, correction1: f64, correction2: f64,
): void {
  const vectorEnd = n & ~3;
  const b1 = f64x2.splat(beta1), b2 = f64x2.splat(beta2), eps = f64x2.splat(epsilon);
  const rest1 = f64x2.splat(1 - beta1), rest2 = f64x2.splat(1 - beta2);
  const c1 = f64x2.splat(correction1), c2 = f64x2.splat(correction2);
  for (let i = 0; i < vectorEnd; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(grad + at), m0 = v128.load(m + at), v0 = v128.load(v + at);
    const gl = lowPair(g), gh = highPair(g);
    const ml = f64x2.add(f64x2.mul(b1, lowPair(m0)), f64x2.mul(rest1, gl));
    const mh = f64x2.add(f64x2.mul(b1, highPair(m0)), f64x2.mul(rest1, gh));
    const vl = f64x2.add(f64x2.mul(b2, lowPair(v0)), f64x2.mul(f64x2.mul(rest2, gl), gl));
    const vh = f64x2.add(f64x2.mul(b2, highPair(v0)), f64x2.mul(f64x2.mul(rest2, gh), gh));
    v128.store(mOut + at, joinPairs(ml, mh));
    v128.store(vOut + at, joinPairs(vl, vh));
    const dl = f64x2.div(f64x2.mul(ml, c1), f64x2.add(f64x2.sqrt(f64x2.mul(vl, c2)), eps));
    const dh = f64x2.div(f64x2.mul(mh, c1), f64x2.add(f64x2.sqrt(f64x2.mul(vh, c2)), eps));
    v128.store(direction + at, joinPairs(dl, dh));
  }
  for (let i = vectorEnd; i < n; i++) {
    const at = <usize>i << 2;
    const g = <f64>load<f32>(grad + at);
    const mi = beta1 * <f64>load<f32>(m + at) + (1 - beta1) * g;
    const vi = beta2 * <f64>load<f32>(v + at) + (1 - beta2) * g * g;
    store<f32>(mOut + at, <f32>mi);
    store<f32>(vOut + at, <f32>vi);
    store<f32>(direction + at, <f32>((mi * correction1) / (sqrt<f64>(vi * correction2) + epsilon)));
  }
}
