import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { encodeIdx, gzip, type IdxArray } from '@axon/data';
import { key, randint, split, uniform, type PRNGKey } from '@axon/tensor';

/** One split of a generated data set: raw 8-bit pixels, sample after sample, and labels. */
export interface SyntheticSplit {
  /** `count × height × width` pixels in 0–255, row-major. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** A generated IDX data set as the CLI reads it, and what was written. */
export interface SyntheticIdx {
  readonly dir: string;
  readonly classes: number;
  /** The shape of one sample, [height, width]. */
  readonly sampleShape: readonly [number, number];
  readonly train: SyntheticSplit;
  readonly test: SyntheticSplit;
}

/** How {@link writeSyntheticIdx} builds and lays out the data set. */
export interface SyntheticIdxOptions {
  readonly seed: number;
  /** 2 to 12 classes. Default 4. */
  readonly classes?: number;
  readonly trainCount?: number;
  readonly testCount?: number;
  /** Image side in pixels (square images). Default 28, MNIST's. */
  readonly side?: number;
  /** Gzip the files, as the public MNIST files are. Default false. */
  readonly gzip?: boolean;
  /**
   * File names: `stem` writes `train-images`, `mnist` the public names such as
   * `train-images-idx3-ubyte` (with `.gz` when gzipped). Default `stem`.
   */
  readonly names?: 'stem' | 'mnist';
  /**
   * Writes each label as `(label + labelShift) mod classes`, leaving the images as they
   * are: the same pictures with wrong answers, for a model to get systematically wrong.
   * Default 0.
   */
  readonly labelShift?: number;
}

/** The cells of a 3 × 4 grid; class c is a bright block in cell c. */
const gridRows = 3;
const gridColumns = 4;

/** Raw values of a sample's pixels: background noise, and the class's block brighter than any background. */
const backgroundMax = 64;
const blockMin = 192;

/**
 * `count` images of `side × side` 8-bit pixels: noise everywhere, plus a bright block
 * whose position is the class, so a small dense network learns it in an epoch or two.
 * Everything comes from `k`, so the same key gives the same bytes.
 */
function syntheticSplit(k: PRNGKey, count: number, classes: number, side: number): SyntheticSplit {
  const [labelKey, noiseKey, blockKey] = split(k, 3);
  const labels = Uint8Array.from(randint(labelKey, [count], 0, classes).values);
  const noise = uniform(noiseKey, [count, side, side], { minval: 0, maxval: backgroundMax }).values;
  const ink = uniform(blockKey, [count, side, side], { minval: blockMin, maxval: 255 }).values;
  const cellHeight = Math.floor(side / gridRows);
  const cellWidth = Math.floor(side / gridColumns);
  const pixels = new Uint8Array(count * side * side);
  for (let n = 0; n < count; n++) {
    const top = Math.floor(labels[n] / gridColumns) * cellHeight;
    const left = (labels[n] % gridColumns) * cellWidth;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const i = (n * side + y) * side + x;
        const inBlock = y >= top + 1 && y < top + cellHeight - 1 && x >= left + 1 && x < left + cellWidth - 1;
        pixels[i] = Math.floor(inBlock ? ink[i] : noise[i]);
      }
    }
  }
  return { pixels, labels, count };
}

const stems = {
  trainImages: 'train-images',
  trainLabels: 'train-labels',
  testImages: 't10k-images',
  testLabels: 't10k-labels',
} as const;

function fileName(stem: string, rank: 1 | 3, options: SyntheticIdxOptions): string {
  const base = options.names === 'mnist' ? `${stem}-idx${rank}-ubyte` : stem;
  return options.gzip === true ? `${base}.gz` : base;
}

/**
 * Writes a small, learnable IDX data set into `dir` (created if needed): `train-images`,
 * `train-labels`, `t10k-images` and `t10k-labels`, as `axon train --dataset idx
 * --data-dir dir` reads them. The same options give the same bytes.
 *
 * @example
 * const data = await writeSyntheticIdx(path.join(root, 'data'), { seed: 1, classes: 4 });
 * data.train.count; // 320
 */
export async function writeSyntheticIdx(dir: string, options: SyntheticIdxOptions): Promise<SyntheticIdx> {
  const classes = options.classes ?? 4;
  if (classes < 2 || classes > gridRows * gridColumns)
    throw new RangeError(`writeSyntheticIdx: ${classes} classes do not fit the grid`);
  const side = options.side ?? 28;
  const [trainKey, testKey] = split(key(options.seed), 2);
  const relabel = (split: SyntheticSplit): SyntheticSplit => ({
    ...split,
    labels: split.labels.map((label) => (label + (options.labelShift ?? 0)) % classes),
  });
  const train = relabel(syntheticSplit(trainKey, options.trainCount ?? 320, classes, side));
  const test = relabel(syntheticSplit(testKey, options.testCount ?? 96, classes, side));
  await mkdir(dir, { recursive: true });
  const write = (stem: string, rank: 1 | 3, bytes: Uint8Array): Promise<void> =>
    writeFile(path.join(dir, fileName(stem, rank, options)), bytes);
  const encode = (array: IdxArray): Uint8Array | Promise<Uint8Array> =>
    options.gzip === true ? gzip(encodeIdx(array)) : encodeIdx(array);
  await Promise.all([
    write(stems.trainImages, 3, await encode({ type: 'u8', shape: [train.count, side, side], values: train.pixels })),
    write(stems.trainLabels, 1, await encode({ type: 'u8', shape: [train.count], values: train.labels })),
    write(stems.testImages, 3, await encode({ type: 'u8', shape: [test.count, side, side], values: test.pixels })),
    write(stems.testLabels, 1, await encode({ type: 'u8', shape: [test.count], values: test.labels })),
  ]);
  return { dir, classes, sampleShape: [side, side], train, test };
}

/**
 * The raw pixels of sample `index` of a split.
 *
 * @example
 * samplePixels(data.test, 3); // Uint8Array(784)
 */
export function samplePixels(split: SyntheticSplit, index: number): Uint8Array {
  const size = split.pixels.length / split.count;
  return split.pixels.subarray(index * size, (index + 1) * size);
}

/** The file names of a generated data set, by part. */
export const syntheticFileStems = stems;
