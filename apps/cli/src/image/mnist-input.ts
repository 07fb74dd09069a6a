import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { mnistInputFromRgba } from '@axon/digit-image';
import type { ImageError } from './image-error.js';
import { decodePng } from './png.js';

/**
 * Decodes a PNG of any size and prepares it as an MNIST input (`@axon/digit-image`'s
 * `mnistInputFromRgba`: grey, cropped, fitted to 20×20, centred by mass in 28×28).
 *
 * @example
 * mnistInputFromPng(await readFile('seven.png')); // right(Float32Array(784) […])
 */
export function mnistInputFromPng(bytes: Uint8Array): E.Either<ImageError, Float32Array> {
  return pipe(decodePng(bytes), E.chainW(mnistInputFromRgba));
}
