import type { Storage, TypedArrayFor } from '@axon/tensor';
import type { WasmHeap } from './heap.js';

/** The dtypes whose tensors live in wasm memory; the others stay in host arrays. */
export type ResidentDType = 'float32' | 'int32';

/** True for the dtypes that can live in wasm memory. */
export const isResidentDType = (dtype: string): dtype is ResidentDType => dtype === 'float32' || dtype === 'int32';

/**
 * Storage whose values live in the wasm memory, at `address`, until the tensor is
 * garbage: the kernels read and write them there, and they are copied to a host array
 * only when asked for (`read`, which `tensor.values` and `toArray` call), once.
 */
export class WasmStorage<D extends ResidentDType = ResidentDType> implements Storage<D> {
  private host: TypedArrayFor[D] | undefined;
  private released = false;

  /** @internal Made by {@link ResidentMemory.allocate} only. */
  constructor(
    readonly dtype: D,
    readonly size: number,
    /** Byte offset of the first element in the wasm memory. */
    readonly address: number,
    private readonly owner: ResidentMemory,
    host?: TypedArrayFor[D],
  ) {
    this.host = host;
  }

  /** Bytes the values take. */
  get bytes(): number {
    return this.size * 4;
  }

  /** False once the memory has been released; the storage must not be used then. */
  get live(): boolean {
    return !this.released;
  }

  /** Copies the values out of wasm memory the first time, then answers from that copy. */
  read(): TypedArrayFor[D] {
    this.owner.checkLive(this, 'read');
    this.host ??= this.owner.download(this);
    return this.host;
  }

  /** @internal */
  markReleased(): void {
    this.released = true;
    this.host = undefined;
  }
}

/** Copies between host arrays and wasm memory, counted since the runtime started. */
export interface TransferCounts {
  /** Whole host arrays copied in because a kernel needed them in wasm memory. */
  readonly uploads: number;
  readonly uploadBytes: number;
  /** Storage copied out to a host array (`read`). */
  readonly downloads: number;
  readonly downloadBytes: number;
  /** Rows gathered from host arrays straight into wasm memory (training batches). */
  readonly gatheredBytes: number;
}

/** The error a released storage gives when it is used. */
export class ReleasedStorageError extends Error {
  override readonly name = 'ReleasedStorageError';
}

/**
 * The tensors that live in wasm memory: allocates their storage from the heap, frees it
 * when the garbage collector finalizes the storage (or at once when code that knows the
 * values are dead releases them, see {@link openScope}), uploads host storage that a
 * kernel needs (once per storage), and counts the copies.
 *
 * The garbage collector finalizes storage only in full collections, which a training loop
 * whose data lives outside the JavaScript heap triggers rarely: left to it alone, freed
 * tensors would pile up for hundreds of steps. So `fit`, the training step, `evaluate`
 * and `predict` run in release scopes: what a scope allocated and its result does not
 * hold is released when it closes.
 */
export class ResidentMemory {
  private readonly finalizer = new FinalizationRegistry<readonly [number, number]>(([address, bytes]) =>
    this.heap.release(address, bytes),
  );
  /** Uploads of host values, by the array they copy, kept while the array lives. */
  private readonly uploaded = new WeakMap<object, WasmStorage>();
  /** Host arrays uploaded inside a release scope once already: the next upload is kept. */
  private readonly uploadedInScope = new WeakSet<object>();
  private readonly scopes: WasmStorage[][] = [];
  private counts = { uploads: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0, gatheredBytes: 0 };

  constructor(readonly heap: WasmHeap) {}

  /**
   * Storage for `size` elements of `dtype`, uninitialized, for a kernel's output. With
   * `host`, the storage also keeps that host copy of its values, for `read` to return.
   */
  allocate<D extends ResidentDType>(dtype: D, size: number, host?: TypedArrayFor[D]): WasmStorage<D> {
    const storage = new WasmStorage(dtype, size, this.heap.allocate(size * 4), this, host);
    const scope = this.scopes.at(-1);
    if (scope === undefined) this.finalizeWhenCollected(storage);
    else scope.push(storage);
    return storage;
  }

  /**
   * Hands a storage to the garbage collector. Storage inside a release scope is not
   * registered until it leaves it kept: the scope frees the rest itself, and V8's young
   * generation collections keep registered objects alive (and promote them), which
   * made every collection of a training loop slow.
   */
  private finalizeWhenCollected(storage: WasmStorage): void {
    this.finalizer.register(storage, [storage.address, storage.bytes], storage);
  }

  /**
   * Where a kernel finds `storage`'s values: its own address when it is resident, else
   * those of a copy uploaded the first time they are needed, kept while the host array
   * lives whichever storage or tensor wraps it.
   *
   * Inside a release scope the first upload of an array goes with the scope: most such
   * arrays were made in it (what a reference-backend kernel computed inside a training
   * step, a mask drawn on the host), and left to the garbage collector their copies
   * piled up for hundreds of steps (measured: 1.8 MB a step of the convnet, the wasm
   * heap growing epoch after epoch). An array uploaded again in a later scope outlives
   * them (a data set or weights kept on the host): that upload is kept until the garbage
   * collector collects the array, so it is copied twice, not once per call.
   */
  addressOf(storage: Storage<ResidentDType>): number {
    if (storage instanceof WasmStorage) {
      this.checkLive(storage, 'use');
      return storage.address;
    }
    const values = storage.read();
    const cached = this.uploaded.get(values);
    if (cached?.live === true) return cached.address;
    const scoped = this.scopes.length > 0 && !this.uploadedInScope.has(values);
    const copy = scoped
      ? this.allocate(storage.dtype, storage.size)
      : new WasmStorage(storage.dtype, storage.size, this.heap.allocate(storage.size * 4), this);
    if (scoped) this.uploadedInScope.add(values);
    else this.finalizeWhenCollected(copy);
    this.viewOf(copy).set(values);
    this.uploaded.set(values, copy);
    this.counts.uploads += 1;
    this.counts.uploadBytes += copy.bytes;
    return copy.address;
  }

  /** A fresh host copy of a resident storage's values. */
  download<D extends ResidentDType>(storage: WasmStorage<D>): TypedArrayFor[D] {
    this.counts.downloads += 1;
    this.counts.downloadBytes += storage.bytes;
    return this.viewOf(storage).slice() as TypedArrayFor[D];
  }

  /** The live view of a storage's values in wasm memory, valid until the memory next grows. */
  viewOf<D extends ResidentDType>(storage: WasmStorage<D>): TypedArrayFor[D] {
    const start = storage.address >> 2;
    const view = storage.dtype === 'float32' ? this.heap.f32 : this.heap.i32;
    return view.subarray(start, start + storage.size) as TypedArrayFor[D];
  }

  /** Counts bytes that a kernel gathered from host arrays straight into wasm memory. */
  countGathered(bytes: number): void {
    this.counts.gatheredBytes += bytes;
  }

  transfers(): TransferCounts {
    return { ...this.counts };
  }

  /** Opens a release scope: storage allocated from now on is recorded in it. */
  openScope(): void {
    this.scopes.push([]);
  }

  /**
   * Closes the innermost scope: releases what it recorded except the storage in `keep`,
   * which passes to the enclosing scope (or, with none, to the garbage collector).
   */
  closeScope(keep: ReadonlySet<Storage>): void {
    const recorded = this.scopes.pop() ?? [];
    const outer = this.scopes.at(-1);
    for (const storage of recorded) {
      if (!keep.has(storage)) this.release(storage);
      else if (outer === undefined) this.finalizeWhenCollected(storage);
      else outer.push(storage);
    }
  }

  /** Frees a resident storage's memory now; using it afterwards throws. Other storage is left alone. */
  release(storage: Storage): void {
    if (!(storage instanceof WasmStorage) || !storage.live) return;
    this.finalizer.unregister(storage);
    this.heap.release(storage.address, storage.bytes);
    storage.markReleased();
  }

  /** @internal Throws when `storage` has been released. */
  checkLive(storage: WasmStorage, action: string): void {
    if (!storage.live) {
      throw new ReleasedStorageError(
        `cannot ${action} a wasm tensor whose memory was released: it was made inside a training step, evaluate or predict, ` +
          'which free what they do not return; keep a value by returning it (in the training state) or by copying it out with .values',
      );
    }
  }
}
