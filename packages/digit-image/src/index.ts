/**
 * @axon/digit-image: a picture of a handwritten digit, of any size, prepared the way
 * MNIST's digits were so a model trained on MNIST can read it: grey, light ink on black,
 * cropped, scaled with area averaging to fit 20×20, centred by its mass in 28×28. Pure
 * functions over pixels, shared by `axon predict --image` (after PNG decoding) and the
 * browser playground (a canvas's `ImageData`).
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { mnistInputFromRgba } from '@axon/digit-image';
 *
 * const prepared = mnistInputFromRgba(context.getImageData(0, 0, canvas.width, canvas.height));
 * if (E.isRight(prepared)) predict(tensor(prepared.right, [1, 28, 28]));
 * ```
 */
export type { GrayImage } from './image/gray-image.js';
export type { RgbaImage } from './image/rgba-image.js';
export { toGrayscale } from './image/grayscale.js';
export { mnistInputFromGray, mnistInputFromRgba, mnistSide, type BlankImage } from './mnist/mnist-input.js';
