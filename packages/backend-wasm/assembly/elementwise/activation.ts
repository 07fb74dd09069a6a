/**
 * The activations a dense layer fuses into its matrix product, numbered as the
 * TypeScript side numbers them (`src/kernels/codes.ts`).
 */
export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;
export const TANH: i32 = 3;

/** The logistic function, written so that neither branch overflows (as the reference backend does). */
@inline export function sigmoid(v: f64): f64 {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * `activation(C + bias)` in place over a `rows` x `cols` block of C (rows `ldc` bytes
 * apart), `bias` holding one value per column or 0 for none. Linear and relu run four
 * lanes at a time on full rows of eight; sigmoid and tanh go through double precision,
 * as the reference backend does, so that they agree with it to rounding.
 */
export function finishBlock(c: usize, ldc: usize, rows: i32, cols: i32, bias: usize, activation: i32): void {
  if (activation <= RELU && cols == 8) {
    const zero = f32x4.splat(0);
    const b0 = bias != 0 ? v128.load(bias) : zero;
    const b1 = bias != 0 ? v128.load(bias, 16) : zero;
    for (let r = 0; r < rows; r++) {
      let z0 = f32x4.add(v128.load(c), b0);
      let z1 = f32x4.add(v128.load(c, 16), b1);
      // f32x4.max keeps NaN and maps -0 to +0, exactly like the reference relu.
      if (activation == RELU) {
        z0 = f32x4.max(z0, zero);
        z1 = f32x4.max(z1, zero);
      }
      v128.store(c, z0);
      v128.store(c, z1, 16);
      c += ldc;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const at = c + (<usize>j << 2);
      const z = <f64>load<f32>(at) + (bias != 0 ? <f64>load<f32>(bias + (<usize>j << 2)) : 0);
      store<f32>(at, <f32>activate(z, activation));
    }
    c += ldc;
  }
}

@inline function activate(z: f64, activation: i32): f64 {
  if (activation == RELU) return z > 0 ? z : z != z ? z : 0;
  if (activation == SIGMOID) return sigmoid(z);
  if (activation == TANH) return Math.tanh(z);
  return z;
}
