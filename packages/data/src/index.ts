/**
 * @axon/data: IDX parsing and writing, MNIST and Fashion-MNIST, CSV tables, and pure
 * transforms, keyed image augmentation, shuffling and batching over whole datasets held
 * in typed arrays. Runs in browsers and Node.js alike: decompression and SHA-256 use the
 * web-standard `DecompressionStream` and `crypto.subtle`, and `fetchDataset` fetches a
 * dataset over HTTP. Files are found, cached and downloaded by `@axon/data/node`.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { flow, pipe } from 'fp-ts/lib/function.js';
 * import { batchAt, batchToTensors, flatten, mapInputs, mnist, renderDataError, scaleToUnit, shuffledOrder } from '@axon/data';
 * import { loadDataset } from '@axon/data/node';
 *
 * const loaded = await loadDataset(mnist, { dir: '../shared/data/mnist' })();
 * if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
 * const train = pipe(loaded.right.train, mapInputs(flow(scaleToUnit, flatten))); // float32 [60000, 784]
 * const order = shuffledOrder(seed, epoch, train.labels.length);
 * const { inputs, labels } = batchToTensors(batchAt(train, order, 0, { batchSize: 128 })); // [128, 784], [128]
 * ```
 */
export { rowCount, rowSize, type NdArray, type NumericArray } from './array/nd-array.js';
export { renderDataError, type DataError, type DownloadAttempt, type DownloadProblem } from './error/data-error.js';

export { idxTypeNames, type IdxType, type IdxValues } from './idx/idx-type.js';
export type { IdxArray, IdxArrayOf } from './idx/idx-array.js';
export { parseIdx } from './idx/parse-idx.js';
export { encodeIdx } from './idx/encode-idx.js';
export { decompressIfGzip, gzip, isGzip } from './compression/gunzip.js';
export { sha256Hex, verifyChecksums, type FileChecksums, type Sha256 } from './checksum/checksum.js';

export type { DatasetSplits, LabeledArrays, LabeledDataset } from './dataset/labeled-dataset.js';
export {
  idxParts,
  pickFile,
  type IdxDatasetSpec,
  type IdxDownload,
  type IdxFileSpec,
  type IdxPart,
} from './dataset/idx-dataset-spec.js';
export { idxDirectory, mnistLayout } from './dataset/idx-directory.js';
export { fashionMnist, mnist } from './dataset/mnist.js';
export { decodeIdxFile } from './dataset/decode-file.js';
export { labeledDatasetFromIdx, type NamedIdxArray } from './dataset/from-idx.js';

export { mapInputs } from './transform/map-inputs.js';
export { scaleToUnit } from './transform/scale.js';
export {
  standardization,
  standardize,
  type Standardization,
  type StandardizationOptions,
} from './transform/standardize.js';
export { flatten } from './transform/flatten.js';
export { oneHot } from './transform/one-hot.js';
export { takeRows, takeSamples } from './transform/take-rows.js';
export { trainValidationSplit, type TrainValidationSplit, type ValidationSplitOptions } from './transform/split.js';

export { compose, identity, scaleViewBy, shiftBy, turnBy, type Affine } from './augment/affine.js';
export { factorRange, type Factor } from './augment/factor.js';
export {
  fillModes,
  interpolations,
  warpImages,
  type FillMode,
  type Interpolation,
  type Sampling,
} from './augment/warp.js';
export {
  gaussianNoise,
  imageAugmentation,
  randomRotation,
  randomTranslation,
  randomZoom,
  type Augmentation,
  type ImageAugmentationOptions,
  type NoiseOptions,
  type RotationOptions,
  type TranslationOptions,
  type ZoomOptions,
} from './augment/augmentation.js';
export { tensorAugmentation, type TensorAugmentation } from './augment/tensors.js';

export { sequentialOrder, shuffledOrder } from './batch/order.js';
export { batchAt, batchCount, epochBatches, type BatchOptions } from './batch/batch.js';

export { parseCsv, type CsvDataset, type CsvOptions } from './csv/parse-csv.js';

export { batchToTensors, ndArrayToTensor, unitScaledTensor, type TensorBatch } from './tensor/to-tensors.js';

export { fetchDataset, type FetchBytes, type FetchDatasetOptions } from './edge/fetch-dataset.js';
