/**
 * Moving between four float32 lanes and two pairs of float64 lanes, for kernels that
 * compute in double precision so as to round exactly as the reference backend does
 * (it computes in JavaScript numbers and rounds once on store).
 */

/** Lanes 0 and 1 as doubles. */
@inline export function lowPair(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 as doubles. */
@inline export function highPair(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Rounds two pairs of doubles back into four float32 lanes. */
@inline export function joinPairs(low: v128, high: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}
