import { hostStorage, type DType, type Storage } from '@axon/tensor';
import { isTexture, type GpuJsMode } from '../gpujs/gpujs.js';
import type { KernelCache } from '../kernels/cache.js';
import type { Program } from '../kernels/program.js';
import { sizeOf, type Device, type DeviceUsage, type Operand } from './device.js';
import { fromFloat32, toFloat32 } from './values.js';

/**
 * Runs kernels in gpu.js's WebAssembly or CPU mode. There is no device memory: gpu.js
 * copies arguments in and results out of each kernel, so tensors simply stay host arrays.
 */
export class HostDevice implements Device {
  constructor(
    readonly mode: GpuJsMode,
    private readonly kernels: KernelCache,
  ) {}

  run<D extends DType>(program: Program, operands: readonly Operand[], dtype: D): Storage<D> {
    const args = operands.map((operand) => (typeof operand === 'number' ? operand : toFloat32(operand.read())));
    const kernel = this.kernels.get(program, operands.map(sizeOf));
    const result = kernel.run(...args);
    this.kernels.checkRanAsMode(kernel);
    if (isTexture(result)) throw new Error(`gpu.js returned a texture in mode '${this.mode}'`);
    return hostStorage(dtype, fromFloat32(dtype, result));
  }

  usage(): DeviceUsage {
    return { kernels: this.kernels.size, textures: 0, textureBytes: 0, textureBudgetBytes: 0 };
  }
}
