import { jsBackend, type Backend, type MatmulSpec } from '@axon/tensor';

/** Agreement the self-check asks for, relative to the largest reference value. */
const TOLERANCE = 1e-4;

// K above gpu.js's default loop cap (1000), transposed B and a broadcast bias: the
// places where a mode has been seen to go silently wrong.
const spec: MatmulSpec = {
  batch: 1,
  m: 5,
  k: 1100,
  n: 3,
  transposeA: false,
  transposeB: true,
  aBatched: false,
  bBatched: false,
};

const wave = (size: number, phase: number): Float32Array =>
  Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37 + phase));

/** `x · yᵀ - bias` on `backend`, computed on the device without a read-back in between. */
const probeProduct = (backend: Backend): ArrayLike<number> => {
  const a = backend.fromHost('float32', wave(spec.m * spec.k, 0));
  const b = backend.fromHost('float32', wave(spec.n * spec.k, 1));
  const bias = backend.fromHost('float32', wave(spec.n, 2));
  const product = backend.matmul(a, b, spec);
  return backend.binary('sub', product, [spec.m, spec.n], bias, [spec.n], [spec.m, spec.n]).read();
};

/**
 * Compares a small product (`[5, 1100] · [3, 1100]ᵀ - bias`) on `backend` with the
 * reference backend. Returns why they disagree, or `undefined` when they agree within
 * 1e-4 of the largest value. A mode that fails this must not be used: its errors would
 * be silent.
 */
export const selfCheck = (backend: Backend): string | undefined => {
  let actual: ArrayLike<number>;
  try {
    actual = probeProduct(backend);
  } catch (error) {
    return `the check product threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  const expected = probeProduct(jsBackend);
  const scale = Math.max(...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= TOLERANCE * scale)) {
      return `element ${i} of a [5,1100]·[1100,3] product was ${actual[i]}, expected ${expected[i]}`;
    }
  }
  return undefined;
};
