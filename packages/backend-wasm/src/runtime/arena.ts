import { alignUp } from './align.js';
import type { WasmMemory } from './webassembly.js';

/** Alignment of every block: a cache line, and more than any vector load needs. */
const ALIGN = 64;
const PAGE = 65536;

/**
 * A bump allocator over the shared wasm memory, reset at the start of each kernel call:
 * a call copies its inputs in, reserves its outputs, runs, and copies the results out,
 * so nothing it places outlives it and no allocation reaches the wasm side. The memory
 * grows when a call needs more than it has ever needed.
 */
export class Arena {
  private top: number;
  private floats: Float32Array;
  private ints: Int32Array;

  /**
   * @param memory - the module's shared memory.
   * @param base - first byte the arena may use (past the control block and scratch).
   */
  constructor(
    private readonly memory: WasmMemory,
    private readonly base: number,
  ) {
    this.top = base;
    this.floats = new Float32Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
  }

  /** Frees everything at once. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` and returns their address. */
  reserve(bytes: number): number {
    const address = this.top;
    this.top = alignUp(address + bytes, ALIGN);
    if (this.top > this.floats.byteLength) this.grow();
    return address;
  }

  /** Copies `values` in and returns their address. */
  putFloats(values: Float32Array): number {
    const address = this.reserve(values.byteLength);
    this.floats.set(values, address >> 2);
    return address;
  }

  putInts(values: Int32Array): number {
    const address = this.reserve(values.byteLength);
    this.ints.set(values, address >> 2);
    return address;
  }

  /** A fresh copy of the `length` floats at `address`. */
  takeFloats(address: number, length: number): Float32Array {
    return this.floats.slice(address >> 2, (address >> 2) + length);
  }

  private grow(): void {
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / PAGE));
    // A grown shared memory keeps its buffer but hands out a longer view of it.
    this.floats = new Float32Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
  }
}
