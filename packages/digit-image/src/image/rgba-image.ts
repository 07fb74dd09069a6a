/**
 * An image as 8-bit RGBA, row-major, four bytes per pixel: what a decoded PNG is, and
 * what a canvas's `getImageData` returns (an `ImageData` is one).
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}
