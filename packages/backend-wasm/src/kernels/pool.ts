import type { Conv2DGeometry, Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { PARALLEL_ELEMENTS, writeGeometry } from './geometry.js';

/** The kernels module's numbers for the pooling kinds (`assembly/conv/pool.ts`). */
const poolCode = { maxPool: 0, maxPoolGrad: 1, maxPoolGradGrad: 2, avgPool: 3, avgPoolGrad: 4 } as const;

type PoolKind = keyof typeof poolCode;

/** Whether a pooling kind's output is shaped like the input (the gradients) rather than the pooled output. */
const inputShaped: Readonly<Record<PoolKind, boolean>> = {
  maxPool: false,
  maxPoolGrad: true,
  maxPoolGradGrad: false,
  avgPool: false,
  avgPoolGrad: true,
};

/**
 * One pooling kernel over every image of the batch, as the reference backend computes it
 * (see `assembly/conv/pool.ts`): `a` is the kind's main operand (x, dy or values), `b`
 * the input x whose first maxima route a max-pooling gradient.
 *
 * @example
 * ```ts
 * const y = pool(runtime, 'maxPool', x, undefined, g);
 * const dx = pool(runtime, 'maxPoolGrad', dy, x, g);
 * ```
 */
export const pool = (
  runtime: WasmRuntime,
  kind: PoolKind,
  a: Storage<'float32'>,
  b: Storage<'float32'> | undefined,
  g: Conv2DGeometry,
): WasmStorage<'float32'> => {
  const { memory, heap, kernels } = runtime;
  const aAt = memory.addressOf(a);
  const bAt = b === undefined ? 0 : memory.addressOf(b);
  const inputSize = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const outputSize = g.batch * g.outHeight * g.outWidth * g.inChannels;
  const out = memory.allocate('float32', inputShaped[kind] ? inputSize : outputSize);
  // Last, since the scratch may grow the memory.
  const geometry = heap.scratch(64);
  writeGeometry(runtime, geometry, g);
  const parallel = inputSize >= PARALLEL_ELEMENTS && g.batch > 1 ? 1 : 0;
  checkJob(kernels.pool(parallel, geometry, poolCode[kind], aAt, bAt, out.address));
  return out;
};
