import type { GpuTexture } from '../gpujs/gpujs.js';
import type { CompiledKernel } from '../kernels/cache.js';

/** A texture and the kernel that rendered it (which must outlive it). */
export interface PlacedTexture {
  readonly texture: GpuTexture;
  readonly maker: CompiledKernel;
  readonly bytes: number;
}

/**
 * Where one tensor's values are: in a texture while on the device, in host memory once
 * read (or moved off the device), or both.
 */
export class Resident {
  placed: PlacedTexture | undefined = undefined;

  constructor(public host: Float32Array | undefined) {}

  /** The values in host memory, downloaded on first need. */
  hostValues(): Float32Array {
    if (this.host === undefined) {
      if (this.placed === undefined)
        throw new Error('a tensor lost its values: neither on the device nor in host memory');
      this.host = this.placed.texture.toArray();
    }
    return this.host;
  }
}

/**
 * The textures that hold live tensors, least recently used first, and their lifetimes.
 *
 * Users never dispose tensors, so a texture is deleted when the storage that owns it is
 * garbage-collected (a `FinalizationRegistry`). Finalizers only run between event-loop
 * tasks, though, and a synchronous training loop never yields to them; so the pool also
 * keeps a byte budget, and above it moves the least recently used tensors to host
 * memory (reading them back, then deleting the texture), down to three quarters of the
 * budget so that read-backs, each of which waits for the GPU to finish its queue, come
 * in occasional bursts rather than one per kernel. A moved tensor is uploaded again if
 * a kernel needs it. Device memory therefore stays bounded whatever the loop looks like
 * (exceeded only by the operands and result of a single kernel), and no value is ever
 * lost; loops that yield to the event loop now and then let finalizers free garbage
 * first, and so avoid reading back tensors nobody holds any more.
 */
export class TexturePool {
  private readonly placed = new Set<Resident>();
  private usedBytes = 0;
  private readonly registry = new FinalizationRegistry<Resident>((resident) => this.free(resident));

  constructor(readonly budgetBytes: number) {}

  get count(): number {
    return this.placed.size;
  }

  get bytes(): number {
    return this.usedBytes;
  }

  /**
   * Makes `texture` hold the values of `resident`, owned by `owner` (freed when `owner`
   * is collected); then, if over budget, evicts sparing `resident` and `pinned`.
   */
  place(owner: object, resident: Resident, texture: PlacedTexture, pinned: ReadonlySet<Resident>): void {
    texture.maker.hold();
    resident.placed = texture;
    this.placed.add(resident);
    this.usedBytes += texture.bytes;
    this.registry.register(owner, resident, resident);
    if (this.usedBytes > this.budgetBytes) this.evict(0.75 * this.budgetBytes, resident, pinned);
  }

  /** Marks `resident` as just used. */
  touch(resident: Resident): void {
    this.placed.delete(resident);
    this.placed.add(resident);
  }

  private evict(targetBytes: number, spared: Resident, pinned: ReadonlySet<Resident>): void {
    for (const resident of this.placed) {
      if (this.usedBytes <= targetBytes) return;
      if (resident === spared || pinned.has(resident)) continue;
      resident.hostValues();
      // The resident now lives only through its storage; the registry must not keep it (and its host copy) alive.
      this.registry.unregister(resident);
      this.free(resident);
    }
  }

  private free(resident: Resident): void {
    const placed = resident.placed;
    if (placed === undefined) return;
    resident.placed = undefined;
    this.placed.delete(resident);
    this.usedBytes -= placed.bytes;
    placed.texture.delete();
    placed.maker.drop();
  }
}
