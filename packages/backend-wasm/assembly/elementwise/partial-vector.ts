/**
 * The ragged end of a row: its last 1 to 3 floats as a vector, and back. Kernels that run
 * four channels or columns at a time use these where a row is not a whole number of
 * vectors, so that they never read or write past its end.
 */

/** The first `count` (1 to 4) floats at `at` in a vector, the other lanes 0. */
@inline export function loadLanes(at: usize, count: i32): v128 {
  if (count >= 4) return v128.load(at);
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(at));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/** Stores the first `count` (1 to 4) lanes of `v` at `at`. */
@inline export function storeLanes(at: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(at, v);
    return;
  }
  v128.store32_lane(at, v, 0);
  if (count > 1) v128.store32_lane(at, v, 1, 4);
  if (count > 2) v128.store32_lane(at, v, 2, 8);
}
