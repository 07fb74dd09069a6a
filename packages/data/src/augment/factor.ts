/**
 * A random amount's range, as Keras's image layers take it: `[lower, upper]`, or one
 * number `f` for `[-|f|, |f|]`.
 */
export type Factor = number | readonly [lower: number, upper: number];

/**
 * The range a factor stands for, checked to be finite, ordered and within `[min, max]`
 * (`min` excluded when `openMin`); a `RangeError` naming the option otherwise.
 *
 * @example
 * ```ts
 * factorRange('rotation.factor', 0.1);           // [-0.1, 0.1]
 * factorRange('zoom.heightFactor', [-0.2, 0.3]); // [-0.2, 0.3]
 * ```
 */
export const factorRange = (
  option: string,
  factor: Factor,
  bounds: { readonly min: number; readonly max: number; readonly openMin?: boolean } = {
    min: -Infinity,
    max: Infinity,
  },
): readonly [number, number] => {
  const [lower, upper] = typeof factor === 'number' ? [-Math.abs(factor), Math.abs(factor)] : factor;
  const aboveMin = bounds.openMin === true ? lower > bounds.min : lower >= bounds.min;
  if (!(Number.isFinite(lower) && Number.isFinite(upper) && lower <= upper && aboveMin && upper <= bounds.max)) {
    const allowed = `${bounds.openMin === true ? '(' : '['}${bounds.min}, ${bounds.max}]`;
    throw new RangeError(
      `${option}: expected a number or a [lower, upper] pair within ${allowed}, got ${JSON.stringify(factor)}`,
    );
  }
  return [lower, upper];
};
