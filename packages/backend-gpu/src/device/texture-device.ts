import type { DType, Storage, TypedArrayFor } from '@axon/tensor';
import { isTexture, type GpuJsMode, type GpuTexture, type KernelArgument } from '../gpujs/gpujs.js';
import type { KernelCache } from '../kernels/cache.js';
import { copyProgram } from '../kernels/elementwise.js';
import type { Program } from '../kernels/program.js';
import { sizeOf, type Device, type DeviceUsage, type Operand } from './device.js';
import { Resident, TexturePool, type PlacedTexture } from './texture-pool.js';
import { fromFloat32, toFloat32 } from './values.js';

/** Storage whose values live in a texture of a {@link TextureDevice} until the CPU reads them. */
export class TextureStorage<D extends DType = DType> implements Storage<D> {
  private values: TypedArrayFor[D] | undefined = undefined;

  constructor(
    readonly dtype: D,
    readonly size: number,
    /** The device whose textures hold the values; only its kernels read them in place. */
    readonly device: TextureDevice,
    readonly resident: Resident,
  ) {}

  /** Downloads once, then answers from host memory. */
  read(): TypedArrayFor[D] {
    this.values ??= fromFloat32(this.dtype, this.resident.hostValues());
    return this.values;
  }
}

/** Bytes of an RGBA float32 texture. */
const textureBytes = (texture: GpuTexture): number => texture.size[0] * texture.size[1] * 16;

/**
 * Runs kernels in a GL mode, keeping every result in a texture that the next kernel
 * reads in place. Host values (and storage of other backends or devices) are uploaded
 * once per storage and the texture kept with it.
 */
export class TextureDevice implements Device {
  private readonly pool: TexturePool;
  private readonly uploads = new WeakMap<Storage, Resident>();

  constructor(
    readonly mode: GpuJsMode,
    private readonly kernels: KernelCache,
    budgetBytes: number,
  ) {
    this.pool = new TexturePool(budgetBytes);
  }

  run<D extends DType>(program: Program, operands: readonly Operand[], dtype: D): Storage<D> {
    const pinned = new Set<Resident>();
    const args = operands.map((operand) => (typeof operand === 'number' ? operand : this.textureOf(operand, pinned)));
    const resident = new Resident(undefined);
    const storage = new TextureStorage(dtype, program.size, this, resident);
    this.pool.place(storage, resident, this.render(program, args, operands.map(sizeOf)), pinned);
    return storage;
  }

  usage(): DeviceUsage {
    return {
      kernels: this.kernels.size,
      textures: this.pool.count,
      textureBytes: this.pool.bytes,
      textureBudgetBytes: this.pool.budgetBytes,
    };
  }

  private render(
    program: Program,
    args: readonly KernelArgument[],
    sizes: readonly (number | undefined)[],
  ): PlacedTexture {
    const kernel = this.kernels.get(program, sizes);
    const result = kernel.run(...args);
    this.kernels.checkRanAsMode(kernel);
    if (!isTexture(result))
      throw new Error(`gpu.js returned host values from a pipeline kernel in mode '${this.mode}'`);
    return { texture: result, maker: kernel, bytes: textureBytes(result) };
  }

  /** The texture holding `storage`'s values, uploading them if they are not on this device. */
  private textureOf(storage: Storage, pinned: Set<Resident>): GpuTexture {
    const resident = this.residentOf(storage);
    pinned.add(resident);
    if (resident.placed !== undefined) {
      this.pool.touch(resident);
      return resident.placed.texture;
    }
    const placed = this.render(copyProgram(storage.size), [resident.hostValues()], [storage.size]);
    this.pool.place(storage, resident, placed, pinned);
    return placed.texture;
  }

  private residentOf(storage: Storage): Resident {
    if (storage instanceof TextureStorage && storage.device === this) return storage.resident;
    let resident = this.uploads.get(storage);
    if (resident === undefined) {
      resident = new Resident(toFloat32(storage.read()));
      this.uploads.set(storage, resident);
    }
    return resident;
  }
}
