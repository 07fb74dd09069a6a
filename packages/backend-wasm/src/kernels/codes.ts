import type { FusedActivation } from '@axon/tensor';

/** The kernels module's numbers for the fused activations (`assembly/elementwise/activation.ts`). */
export const activationCode: Readonly<Record<FusedActivation, number>> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

/** The element-wise ops with a kernel. */
export type WasmBinaryOp = 'add' | 'sub' | 'mul';

/** Their numbers in the kernels module (`assembly/elementwise/binary.ts`). */
export const binaryCode: Readonly<Record<WasmBinaryOp, number>> = { add: 0, sub: 1, mul: 2 };
