import type { FusedActivation, UpdateStage } from '@axon/tensor';

/** The kernels module's numbers for the fused activations (`assembly/elementwise/activation.ts`). */
export const activationCode: Readonly<Record<FusedActivation, number>> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

/** The element-wise ops with a kernel. */
export type WasmBinaryOp = 'add' | 'sub' | 'mul';

/** Their numbers in the kernels module (`assembly/elementwise/binary.ts`). */
export const binaryCode: Readonly<Record<WasmBinaryOp, number>> = { add: 0, sub: 1, mul: 2 };

/** The kernels module's numbers for the stages of a fused update (`assembly/optim/update.ts`). */
export const updateStageCode: Readonly<Record<UpdateStage['kind'], number>> = {
  scale: 0,
  addDecayedWeights: 1,
  adam: 2,
  trace: 3,
  rms: 4,
  adagrad: 5,
};
