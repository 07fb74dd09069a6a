/** The name of the topology file in a model directory (TensorFlow.js' convention). */
export const modelJsonFile = 'model.json';

/** The name of the weights file axon writes beside it. */
export const weightsFile = 'weights.bin';
