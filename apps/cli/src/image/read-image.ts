// File-system edge of the image pipeline.
import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { describeIoError } from '@axon/io/node';
import { mnistInputFromPng } from './mnist-input.js';

/**
 * Reads a PNG file and prepares it as an MNIST input (784 values in [0, 1]). A failure
 * is one line naming the file: unreadable, not a PNG, damaged, or blank.
 *
 * @example
 * const pixels = await readMnistImage('seven.png')();
 * // right(Float32Array(784) […]) or left('seven.png: not a PNG image (…)')
 */
export function readMnistImage(file: string): TE.TaskEither<string, Float32Array> {
  return async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      return E.left(`${file}: ${describeIoError('read', error)}`);
    }
    return E.mapLeft((error: { message: string }) => `${file}: ${error.message}`)(mnistInputFromPng(bytes));
  };
}
