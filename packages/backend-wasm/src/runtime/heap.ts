import { alignUp } from './align.js';
import type { WasmMemory } from './webassembly.js';

/** Alignment of every block: a cache line, so threads writing neighbouring blocks never share one. */
export const BLOCK_ALIGN = 64;
const PAGE = 65536;

/**
 * The block size a request of `bytes` is served from: multiples of 64 bytes up to 4 KiB,
 * then steps of a quarter of a power of two (at most 25% slack). Few distinct sizes keep
 * the free lists short and let a block freed by one tensor serve the next of about its
 * size: a training step asks for the same sizes every time.
 */
export const sizeClass = (bytes: number): number => {
  if (bytes <= 4096) return alignUp(Math.max(bytes, 1), BLOCK_ALIGN);
  const quarter = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return alignUp(bytes, quarter);
};

/** What a heap holds, for benchmarks and tests. */
export interface HeapUsage {
  /** Bytes in blocks handed out and not yet freed. */
  readonly liveBytes: number;
  /** Bytes in freed blocks waiting to be reused. */
  readonly freeBytes: number;
  /** Bytes of the memory the heap has claimed so far (live, free and scratch). */
  readonly heapBytes: number;
  /** Blocks handed out and not yet freed. */
  readonly liveBlocks: number;
}

/**
 * The allocator of the wasm memory that tensors live in, run on the main thread: blocks
 * of a few size classes, a free list per class, and a bump pointer that grows the memory
 * when no freed block fits. Blocks are never split or merged, which is what a training
 * loop wants: it frees and asks again for the same few sizes every step.
 *
 * Also keeps one scratch region (packed matrix panels, parameter tables) that a kernel
 * call may use until it returns; it is reused by the next call and grows as needed.
 */
export class WasmHeap {
  private top: number;
  private readonly free = new Map<number, number[]>();
  /** The class of each live block that was served from a larger class than its request's, by address. */
  private readonly servedLarger = new Map<number, number>();
  private scratchAt = 0;
  private scratchBytes = 0;
  private live = 0;
  private freeTotal = 0;
  private blocks = 0;
  private buffer!: ArrayBufferLike;
  /** Views of the whole memory, renewed when it grows. */
  f32!: Float32Array;
  i32!: Int32Array;
  f64!: Float64Array;
  u8!: Uint8Array;

  /**
   * @param memory - the module's shared memory.
   * @param base - the first byte the heap may use (past the control block and per-thread scratch).
   * @param limit - the most bytes the memory may grow to.
   */
  constructor(
    private readonly memory: WasmMemory,
    base: number,
    private readonly limit: number,
  ) {
    this.top = alignUp(base, BLOCK_ALIGN);
    this.renewViews();
  }

  /** A block of at least `bytes` bytes, 64-byte aligned; its content is whatever it last held. */
  allocate(bytes: number): number {
    const wanted = sizeClass(bytes);
    const size = this.hasFree(wanted) ? wanted : (this.largerFree(wanted) ?? wanted);
    const address = this.take(size);
    if (size !== wanted) this.servedLarger.set(address, size);
    this.live += size;
    this.blocks += 1;
    return address;
  }

  /** Returns a block from {@link allocate} (of the same `bytes`) for reuse. */
  release(address: number, bytes: number): void {
    const size = this.servedLarger.get(address) ?? sizeClass(bytes);
    this.servedLarger.delete(address);
    this.live -= size;
    this.blocks -= 1;
    this.addFree(address, size);
  }

  /**
   * `bytes` of scratch for the kernel call in progress: valid until the next call of
   * `scratch`, which may hand out the same memory.
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      // The old region stays behind as an ordinary free block of its class.
      if (this.scratchBytes > 0) this.addFree(this.scratchAt, this.scratchBytes);
      this.scratchBytes = sizeClass(Math.max(bytes, 2 * this.scratchBytes));
      this.scratchAt = this.take(this.scratchBytes);
    }
    return this.scratchAt;
  }

  usage(): HeapUsage {
    return { liveBytes: this.live, freeBytes: this.freeTotal, heapBytes: this.top, liveBlocks: this.blocks };
  }

  private hasFree(size: number): boolean {
    return (this.free.get(size)?.length ?? 0) > 0;
  }

  /**
   * The smallest class above `size`, at most twice it, that has a freed block: a request
   * with no freed block of its own class takes that rather than new memory. A batch of
   * another size (an epoch's last, smaller batch) then reuses the blocks training freed
   * instead of growing the memory, which never shrinks, by a working set of its own
   * classes. Blocks of a cache line or a few (up to 4 KiB) are not worth the search.
   */
  private largerFree(size: number): number | undefined {
    if (size <= 4096) return undefined;
    let best: number | undefined;
    for (const [candidate, list] of this.free) {
      if (candidate > size && candidate <= 2 * size && list.length > 0 && (best === undefined || candidate < best))
        best = candidate;
    }
    return best;
  }

  /** A block of class `size`: a freed one if there is, else a new one from the top. */
  private take(size: number): number {
    const reusable = this.free.get(size)?.pop();
    if (reusable === undefined) return this.bump(size);
    this.freeTotal -= size;
    return reusable;
  }

  private addFree(address: number, size: number): void {
    let list = this.free.get(size);
    if (list === undefined) {
      list = [];
      this.free.set(size, list);
    }
    list.push(address);
    this.freeTotal += size;
  }

  private bump(size: number): number {
    const address = this.top;
    this.top = address + size;
    if (this.top > this.buffer.byteLength) this.grow();
    return address;
  }

  private grow(): void {
    const have = this.memory.buffer.byteLength;
    if (this.top > this.limit) {
      throw new RangeError(`the wasm backend's memory is full: ${this.top} bytes needed, ${this.limit} at most`);
    }
    // Grow by half again at least, so that the views are remade rarely; untouched pages cost no memory.
    const want = Math.min(this.limit, Math.max(this.top, have + Math.min(have >> 1, 256 << 20)));
    this.memory.grow(Math.ceil((want - have) / PAGE));
    this.renewViews();
  }

  private renewViews(): void {
    // A grown shared memory keeps its buffer but hands out a longer view of it.
    this.buffer = this.memory.buffer;
    this.f32 = new Float32Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.u8 = new Uint8Array(this.buffer);
  }
}
