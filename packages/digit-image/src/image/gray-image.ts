/** A greyscale image, row-major, values from 0 (black) to 1 (white). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayLike<number>;
}
