/**
 * @axon/io: models as files. Encodes and decodes the TensorFlow.js layers format
 * (`model.json` + `weights.bin`) as pure functions over bytes and values, every field
 * validated with a one-line error naming it. Imports no Node.js built-ins, so it runs
 * in browsers; `@axon/io/node` reads and writes directories.
 *
 * @example
 * ```ts
 * import { decodeModel, encodeModel, parseModelJson } from '@axon/io';
 * const files = encodeModel(savedModel, 'my-app 1.0'); // right({ modelJson, weightsBin })
 * ```
 */
export { decodeModel, parseModelJson, weightFileNames } from './layers-model/decode.js';
export { encodeModel, type ModelFiles } from './layers-model/encode.js';
export { modelJsonFile, weightsFile } from './layers-model/file-names.js';
export { KerasActivation } from './layers-model/keras-activation.js';
export { fieldError, renderModelFileError, type ModelFileError } from './layers-model/model-file-error.js';
export { ModelJson, PlainFileName, UserMetadata } from './layers-model/model-json.js';
export type { ActivationLayer, DenseLayer, DropoutLayer, FlattenLayer, LayerSpec, SavedModel } from './layers-model/saved-model.js';
export {
  bytesPerFloat32,
  elementCount,
  kerasLayerNames,
  outlineOf,
  outputUnits,
  weightArraysOf,
  weightLayout,
  type LayerOutline,
  type LayoutProblem,
  type WeightLayout,
  type WeightSlot,
} from './layers-model/weight-layout.js';
