import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_ALIGN, sizeClass, WasmHeap } from '../src/runtime/heap.js';
import { webAssembly } from '../src/runtime/webassembly.js';

const PAGE = 65536;
const newHeap = (pages = 1, maximum = 256) => {
  const memory = new webAssembly.Memory({ initial: pages, maximum, shared: true });
  return { memory, heap: new WasmHeap(memory, 128, maximum * PAGE) };
};

describe('sizeClass', () => {
  it('fits the request, in cache lines, wasting at most a quarter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 28 }), (bytes) => {
        const size = sizeClass(bytes);
        expect(size).toBeGreaterThanOrEqual(Math.max(bytes, 1));
        expect(size % BLOCK_ALIGN).toBe(0);
        expect(size).toBeLessThanOrEqual(Math.max(BLOCK_ALIGN, 1.25 * bytes + BLOCK_ALIGN));
      }),
    );
  });
});

describe('WasmHeap', () => {
  it('hands out aligned, disjoint blocks past its base that keep what is written to them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 12 }), (sizes) => {
        const { heap } = newHeap();
        const blocks = sizes.map((bytes, b) => {
          const at = heap.allocate(bytes);
          heap.u8.fill(b + 1, at, at + bytes);
          return [at, bytes] as const;
        });
        blocks.forEach(([at, bytes], b) => {
          expect(at % BLOCK_ALIGN).toBe(0);
          expect(at).toBeGreaterThanOrEqual(128);
          expect(heap.u8.subarray(at, at + bytes).every((v) => v === b + 1)).toBe(true);
        });
        expect(heap.usage().liveBlocks).toBe(sizes.length);
      }),
    );
  });

  it('reuses a released block for the next request of its class, and counts live and free bytes', () => {
    const { heap } = newHeap();
    const a = heap.allocate(5000);
    const b = heap.allocate(5000);
    heap.release(a, 5000);
    expect(heap.usage()).toMatchObject({ liveBytes: sizeClass(5000), freeBytes: sizeClass(5000), liveBlocks: 1 });
    expect(heap.allocate(4900)).toBe(a);
    expect(heap.allocate(5000)).not.toBe(b);
    expect(heap.usage().freeBytes).toBe(0);
  });

  it('serves a request with no freed block of its class from a freed one up to twice its size, and takes it back to that class', () => {
    const { heap } = newHeap();
    const big = heap.allocate(12_000);
    heap.release(big, 12_000);
    const top = heap.usage().heapBytes;
    // A smaller batch's tensor: the freed block of the larger class serves it.
    const smaller = heap.allocate(9_000);
    expect(smaller).toBe(big);
    expect(heap.usage()).toMatchObject({ liveBytes: sizeClass(12_000), freeBytes: 0, heapBytes: top });
    heap.release(smaller, 9_000);
    expect(heap.usage()).toMatchObject({ liveBytes: 0, freeBytes: sizeClass(12_000) });
    expect(heap.allocate(12_000)).toBe(big);
    // Not from a block more than twice the size, nor for blocks of 4 KiB and less.
    const huge = heap.allocate(40_000);
    heap.release(huge, 40_000);
    expect(heap.allocate(12_000)).not.toBe(huge);
    const page = heap.allocate(4_000);
    heap.release(page, 4_000);
    expect(heap.allocate(3_000)).not.toBe(page);
  });

  it('grows the memory as blocks need it, keeping their values, and stops at its limit', () => {
    const { memory, heap } = newHeap(1, 64);
    const small = heap.allocate(12);
    heap.f32.set([1, 2, 3], small >> 2);
    const large = heap.allocate(5 * PAGE);
    heap.f32.fill(7, large >> 2, (large >> 2) + (5 * PAGE) / 4);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(6 * PAGE);
    expect(Array.from(heap.f32.subarray(small >> 2, (small >> 2) + 3))).toEqual([1, 2, 3]);
    expect(heap.f32.subarray(large >> 2, (large >> 2) + (5 * PAGE) / 4).every((v) => v === 7)).toBe(true);
    expect(() => heap.allocate(100 * PAGE)).toThrow(/memory is full/);
  });

  it('keeps one scratch region that grows, reused from call to call', () => {
    const { heap } = newHeap();
    const first = heap.scratch(1000);
    expect(heap.scratch(800)).toBe(first);
    const grown = heap.scratch(100_000);
    expect(heap.scratch(50_000)).toBe(grown);
    expect(heap.usage().liveBlocks).toBe(0);
  });
});
