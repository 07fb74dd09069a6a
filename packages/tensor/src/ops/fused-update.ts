import { stageSlots, type UpdateStage } from '../backend/backend.js';
import { check, showShape } from '../core/error.js';
import type { Tensor } from '../core/tensor.js';
import { shapesEqual } from '../core/shape.js';
import { isRecorded } from '../autodiff/record.js';
import { backendOf, fromStorage, storageOn } from './operand.js';

/** One parameter of {@link fusedUpdate}: its gradient and its slots (the stages' state tensors), in stage order. */
export interface FusedUpdateInput {
  readonly param: Tensor;
  readonly grad: Tensor;
  readonly slots: readonly Tensor[];
}

/** The new parameter and slots of one {@link FusedUpdateInput}. */
export interface FusedUpdateOutput {
  readonly param: Tensor;
  readonly slots: readonly Tensor[];
}

/**
 * A whole optimizer step in one kernel, when the parameters' backend has one for these
 * operands (the wasm backend, for float32): `stages` (see `UpdateStage`) applied to every
 * parameter in one pass over memory, giving bit for bit what the stages' ops give one by
 * one. `undefined` when the backend cannot fuse them; the optimizers in `@axon/nn` then
 * run their ops. Not differentiable.
 *
 * @example
 * ```ts
 * const out = fusedUpdate([{ kind: 'scale', factor: -0.1 }], [{ param: w, grad: dw, slots: [] }]);
 * // out?.[0].param equals add(w, mul(dw, -0.1)) bit for bit
 * ```
 */
export const fusedUpdate = (
  stages: readonly UpdateStage[],
  inputs: readonly FusedUpdateInput[],
): FusedUpdateOutput[] | undefined => {
  const slotCount = stages.reduce((n, stage) => n + stageSlots(stage), 0);
  inputs.forEach(({ param, grad, slots }, i) => {
    const all = [grad, ...slots];
    check(
      all.every((t) => t.dtype === param.dtype && shapesEqual(t.shape, param.shape)) && slots.length === slotCount,
      'fusedUpdate',
      () =>
        `parameter ${i} ${param.dtype}${showShape(param.shape)} needs a gradient and ${slotCount} slots of its dtype and shape, got ${all.map((t) => `${t.dtype}${showShape(t.shape)}`).join(', ')}`,
    );
    check(
      ![param, ...all].some(isRecorded),
      'fusedUpdate',
      () =>
        'is not differentiable, and its inputs are being differentiated by grad; build the update from ops to differentiate through it',
    );
  });
  if (inputs.length === 0) return [];
  const backend = backendOf(...inputs.flatMap(({ param, grad, slots }) => [param, grad, ...slots]));
  if (backend.fusedUpdate === undefined) return undefined;
  const results = backend.fusedUpdate(
    stages,
    inputs.map(({ param, grad, slots }) => ({
      param: storageOn(param, backend),
      grad: storageOn(grad, backend),
      slots: slots.map((s) => storageOn(s, backend)),
    })),
  );
  return results?.map((result, i) => ({
    param: fromStorage(result.param, inputs[i].param.shape, backend),
    slots: result.slots.map((slot) => fromStorage(slot, inputs[i].param.shape, backend)),
  }));
};
