/** The checkpoint's description (step, epoch, PRNG key, history, settings, the trees' structure). */
export const checkpointJsonFile = 'checkpoint.json';

/** The checkpoint's tensors (params, layer state, optimizer state), little-endian, one after another. */
export const checkpointDataFile = 'checkpoint.bin';
