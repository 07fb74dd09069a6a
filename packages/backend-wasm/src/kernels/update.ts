import { stageSlots, type Storage, type UpdateStage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { updateStageCode } from './codes.js';

/** Updates of fewer parameters than this run on the calling thread alone. */
export const PARALLEL_UPDATE_SIZE = 1 << 15;

/** One parameter of a fused update, as the kernel takes it. */
export interface UpdateStorage {
  readonly param: Storage<'float32'>;
  readonly grad: Storage<'float32'>;
  readonly slots: readonly Storage<'float32'>[];
}

/** The new parameter and slots. */
export interface UpdatedStorage {
  readonly param: WasmStorage<'float32'>;
  readonly slots: readonly WasmStorage<'float32'>[];
}

/** The f64 parameters each stage kind passes, in the order `assembly/optim/update.ts` reads them. */
const stageParameters = (stage: UpdateStage): readonly number[] => {
  switch (stage.kind) {
    case 'scale':
      return [stage.factor];
    case 'addDecayedWeights':
      return [stage.rate];
    case 'adam':
      return [stage.step.beta1, stage.step.beta2, stage.step.epsilon, stage.step.correction1, stage.step.correction2];
    case 'trace':
      return [stage.decay];
    case 'rms':
      return [stage.decay, stage.epsilon];
    case 'adagrad':
      return [stage.epsilon];
  }
};

/**
 * A whole optimizer step over every parameter in one job: `stages` applied element by
 * element (see `UpdateStage`), new parameters and slots written to new resident
 * storage, equal bit for bit to running the stages' ops one by one.
 *
 * @example
 * ```ts
 * const [w2] = update(runtime, [{ kind: 'scale', factor: -0.01 }], [{ param: w, grad: dw, slots: [] }]);
 * ```
 */
export const update = (
  runtime: WasmRuntime,
  stages: readonly UpdateStage[],
  operands: readonly UpdateStorage[],
): UpdatedStorage[] => {
  const { memory, heap, kernels } = runtime;
  const slotCount = stages.reduce((n, stage) => n + stageSlots(stage), 0);
  const inputs = operands.map(({ param, grad, slots }) => ({
    param: memory.addressOf(param),
    grad: memory.addressOf(grad),
    slots: slots.map((slot) => memory.addressOf(slot)),
  }));
  const outputs = operands.map(({ param }) => ({
    param: memory.allocate('float32', param.size),
    slots: Array.from({ length: slotCount }, () => memory.allocate('float32', param.size)),
  }));
  const stageBytes = kernels.updateStageBytes();
  const chunk = kernels.updateChunk();
  const rowWords = 5 + 2 * slotCount;
  // Last, since the scratch may grow the memory, which renews the heap's views.
  const table = heap.scratch(stages.length * stageBytes + operands.length * rowWords * 4);
  const { i32, f64 } = heap;
  let firstSlot = 0;
  stages.forEach((stage, s) => {
    const at = table + s * stageBytes;
    i32.set([updateStageCode[stage.kind], firstSlot, stage.kind === 'trace' && stage.nesterov ? 1 : 0], at >> 2);
    f64.set(stageParameters(stage), (at + 16) >> 3);
    firstSlot += stageSlots(stage);
  });
  let tasks = 0;
  operands.forEach(({ param }, t) => {
    const row = [
      param.size,
      tasks,
      inputs[t].param,
      inputs[t].grad,
      outputs[t].param.address,
      ...inputs[t].slots,
      ...outputs[t].slots.map((s) => s.address),
    ];
    i32.set(row, (table + stages.length * stageBytes + t * rowWords * 4) >> 2);
    tasks += Math.ceil(param.size / chunk);
  });
  const total = operands.reduce((n, { param }) => n + param.size, 0);
  checkJob(
    kernels.update(total >= PARALLEL_UPDATE_SIZE ? 1 : 0, table, stages.length, operands.length, slotCount, tasks),
  );
  return outputs;
};
