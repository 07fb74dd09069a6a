/**
 * @axon/io: models as files. Encodes and decodes the TensorFlow.js layers format
 * (`model.json` + `weights.bin`) as pure functions over bytes and values, every field
 * validated with a one-line error naming it; checkpoints that resume training exactly;
 * ONNX export. Imports no Node.js built-ins, so it runs
 * in browsers; `@axon/io/node` reads and writes directories.
 *
 * @example
 * ```ts
 * import { loadModel, renderModelFileError } from '@axon/io';
 * import { layers } from '@axon/nn';
 * const loaded = await loadModel('/models/mnist/model.json')();
 * if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
 * const model = layers.fromConfig(loaded.right.config);
 * ```
 */
export { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointFiles } from './checkpoint/checkpoint.js';
export { checkpointDataFile, checkpointJsonFile } from './checkpoint/file-names.js';
export { restoreTree } from './checkpoint/restore.js';
export { decodeModel, parseModelJson, weightFileNames } from './layers-model/decode.js';
export { encodeModel, type ModelFiles } from './layers-model/encode.js';
export { modelJsonFile, weightsFile } from './layers-model/file-names.js';
export { loadModel, type Fetch, type LoadModelOptions, type ModelBytes } from './edge/load-model.js';
export { outputShapeOf } from './layers-model/output-shape.js';
export { onnxOpset, toOnnx, type ToOnnxOptions } from './onnx/to-onnx.js';
export { KerasActivation } from './layers-model/keras-activation.js';
export { readableClassNames } from './layers-model/layer-kinds/index.js';
export { fieldError, renderModelFileError, type ModelFileError } from './layers-model/model-file-error.js';
export { JsonObject, ModelJson, PlainFileName, UserMetadata } from './layers-model/model-json.js';
export type { SavedModel } from './layers-model/saved-model.js';
export { savedModelOf } from './layers-model/saved-model-of.js';
