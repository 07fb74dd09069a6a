/**
 * A 2-D affine map of pixel coordinates, `(x, y) ↦ (a·x + b·y + c, d·x + e·y + f)`, with
 * `x` the column and `y` the row. Augmentations use the map from each output pixel to
 * the input point it samples, as Keras's image transforms do.
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/** The map that leaves every point where it is. */
export const identity: Affine = [1, 0, 0, 0, 1, 0];

/**
 * `first` then `second`: the map `p ↦ second(first(p))`.
 *
 * @example
 * ```ts
 * compose(shiftBy(1, 0), shiftBy(2, 3)); // [1, 0, 3, 0, 1, 3]
 * ```
 */
export const compose = (first: Affine, second: Affine): Affine => {
  const [a1, b1, c1, d1, e1, f1] = first;
  const [a2, b2, c2, d2, e2, f2] = second;
  return [
    a2 * a1 + b2 * d1,
    a2 * b1 + b2 * e1,
    a2 * c1 + b2 * f1 + c2,
    d2 * a1 + e2 * d1,
    d2 * b1 + e2 * e1,
    d2 * c1 + e2 * f1 + f2,
  ];
};

/**
 * Where an output pixel samples when the content moves `dx` columns right and `dy`
 * rows down (Keras's RandomTranslation: positive is right and down).
 *
 * @example
 * ```ts
 * shiftBy(2, 0); // output column 5 samples input column 3
 * ```
 */
export const shiftBy = (dx: number, dy: number): Affine => [1, 0, -dx, 0, 1, -dy];

/**
 * Where an output pixel samples when the content turns `angle` radians
 * counter-clockwise (as seen, rows going down) about the centre of a `width` × `height`
 * image: Keras's RandomRotation, positive counter-clockwise.
 *
 * @example
 * ```ts
 * turnBy(Math.PI / 2, 28, 28); // a quarter turn to the left
 * ```
 */
export const turnBy = (angle: number, width: number, height: number): Affine => {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy];
};

/**
 * Where an output pixel samples when the view is scaled by `zx` across and `zy` down
 * about the image centre: above 1 the output shows more of the plane (zooms out, the
 * content shrinks), below 1 less (zooms in). Keras's RandomZoom samples these as
 * `1 + factor`.
 *
 * @example
 * ```ts
 * scaleViewBy(0.5, 0.5, 28, 28); // zoomed in twice
 * ```
 */
export const scaleViewBy = (zx: number, zy: number, width: number, height: number): Affine => {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return [zx, 0, cx * (1 - zx), 0, zy, cy * (1 - zy)];
};
