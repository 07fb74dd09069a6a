/** An 8-bit RGBA image, row-major, four bytes per pixel: what a PNG encoder or a canvas's `ImageData` takes. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** A greyscale image, row-major, 0 (black) to 1 (white). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayLike<number>;
}

/** Options of {@link heatMap}. */
export interface HeatMapOptions {
  /** The attribution magnitude drawn at full colour; unless stated, {@link attributionScale}'s. */
  readonly scale?: number;
  /** The colour of positive attributions (evidence for the class); red unless stated. */
  readonly positive?: readonly [number, number, number];
  /** The colour of negative attributions (evidence against it); blue unless stated. */
  readonly negative?: readonly [number, number, number];
}

/**
 * The magnitude at which a heat map saturates: the `quantile` (0.98 unless stated) of
 * the absolute attributions, so that a few extreme values do not wash out the rest
 * (Captum's `outlier_perc = 2`). Never 0, so all-zero attributions draw as nothing.
 *
 * @example
 * ```ts
 * attributionScale([0, 0.5, -2, 1]); // 2 (the largest magnitude, for so few values)
 * ```
 */
export const attributionScale = (attributions: ArrayLike<number>, quantile = 0.98): number => {
  const magnitudes = Float64Array.from(attributions, Math.abs).sort();
  if (magnitudes.length === 0) return 1;
  const value = magnitudes[Math.min(magnitudes.length - 1, Math.floor(quantile * magnitudes.length))];
  return value > 0 ? value : 1;
};

/**
 * An attribution drawn over the image it explains: the image in dimmed grey, each
 * pixel tinted towards red where it counts for the class and blue where it counts
 * against, as strongly as its attribution's magnitude relative to `scale`. The same
 * pixels serve a PNG, a canvas, or terminal colours.
 *
 * @example
 * ```ts
 * const picture = heatMap({ width: 28, height: 28, pixels: digit }, ig.attributions.values);
 * ```
 */
export const heatMap = (image: GrayImage, attributions: ArrayLike<number>, options: HeatMapOptions = {}): RgbaImage => {
  const { width, height, pixels } = image;
  if (attributions.length !== width * height || pixels.length !== width * height) {
    throw new RangeError(
      `heatMap: a ${width}×${height} image needs ${width * height} pixels and attributions, got ${pixels.length} and ${attributions.length}`,
    );
  }
  const scale = options.scale ?? attributionScale(attributions);
  const positive = options.positive ?? [230, 40, 40];
  const negative = options.negative ?? [40, 110, 240];
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    // Dimmed, so that white strokes still show a tint.
    const grey = 200 * Math.min(1, Math.max(0, pixels[i]));
    const a = attributions[i];
    const strength = Number.isFinite(a) ? Math.min(1, Math.abs(a) / scale) : 0;
    const tint = a >= 0 ? positive : negative;
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(grey * (1 - strength) + tint[c] * strength);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
};
