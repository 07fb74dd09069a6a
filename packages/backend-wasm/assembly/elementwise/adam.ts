/**
 * One Adam step over a parameter tensor, in a single pass: new moments and the step
 * direction `(m · c1) / (√(v · c2) + ε)` (see `AdamStep`). Computed in float32, four
 * lanes at a time, every operation rounded and the hyper-parameters rounded first, in
 * the reference's order, so every output equals the reference's bit for bit. Threads
 * take chunks of the parameters.
 */
import { control, floatArg, intArg, NEXT_TASK, setFloatArg, setIntArg } from '../threads/control';

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
  const b1 = <f32>beta1, b2 = <f32>beta2, eps = <f32>epsilon, rest1 = <f32>(1 - beta1), rest2 = <f32>(1 - beta2);
  const c1 = <f32>correction1, c2 = <f32>correction2;
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps);
  const vrest1 = f32x4.splat(rest1), vrest2 = f32x4.splat(rest2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const vectorEnd = n & ~3;
  for (let i = 0; i < vectorEnd; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(grad + at);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + at)), f32x4.mul(vrest1, g));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + at)), f32x4.mul(f32x4.mul(vrest2, g), g));
    v128.store(mOut + at, mi);
    v128.store(vOut + at, vi);
    v128.store(direction + at, f32x4.div(f32x4.mul(mi, vc1), f32x4.add(f32x4.sqrt(f32x4.mul(vi, vc2)), veps)));
  }
  for (let i = vectorEnd; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(grad + at);
    const mi = b1 * load<f32>(m + at) + rest1 * g;
    const vi = b2 * load<f32>(v + at) + (rest2 * g) * g;
    store<f32>(mOut + at, mi);
    store<f32>(vOut + at, vi);
    store<f32>(direction + at, (mi * c1) / (sqrt<f32>(vi * c2) + eps));
  }
}
