/**
 * Test helpers for model files, for this package's tests and others': random models
 * of every layer kind and a float64 reference forward pass to check runtimes against.
 */
export { modelAsWritten, plainModel } from './plain-model.js';
export { erf, referenceForward } from './reference-forward.js';
export { float32s, savedModelArbitrary, type MetadataArbitrary } from './saved-model-arbitrary.js';
