import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Arena } from '../src/runtime/arena.js';
import { webAssembly } from '../src/runtime/webassembly.js';

const PAGE = 65536;

describe('Arena', () => {
  it('hands out 64-byte-aligned, disjoint blocks that round-trip their values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 8 }), (lengths) => {
        const arena = new Arena(new webAssembly.Memory({ initial: 1, maximum: 64, shared: true }), 128);
        const blocks = lengths.map((n, b) => Float32Array.from({ length: n }, (_, i) => b * 10_000 + i));
        const addresses = blocks.map((values) => arena.putFloats(values));
        addresses.forEach((at, b) => {
          expect(at % 64).toBe(0);
          expect(at).toBeGreaterThanOrEqual(128);
          if (b > 0) expect(at).toBeGreaterThanOrEqual(addresses[b - 1] + blocks[b - 1].byteLength);
          expect(Array.from(arena.takeFloats(at, blocks[b].length))).toEqual(Array.from(blocks[b]));
        });
      }),
    );
  });

  it('grows the memory when a call needs more, keeping what it holds', () => {
    const memory = new webAssembly.Memory({ initial: 1, maximum: 64, shared: true });
    const arena = new Arena(memory, 0);
    const small = arena.putFloats(Float32Array.from([1, 2, 3]));
    const large = arena.putFloats(new Float32Array(5 * PAGE / 4).fill(7));
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(6 * PAGE);
    expect(Array.from(arena.takeFloats(small, 3))).toEqual([1, 2, 3]);
    expect(arena.takeFloats(large, 5 * PAGE / 4).every((v) => v === 7)).toBe(true);
  });

  it('reuses its memory after a reset', () => {
    const arena = new Arena(new webAssembly.Memory({ initial: 1, maximum: 1, shared: true }), 0);
    const first = arena.reserve(1000);
    arena.reset();
    expect(arena.reserve(1000)).toBe(first);
  });

  it('copies results out, so later calls cannot change them', () => {
    const arena = new Arena(new webAssembly.Memory({ initial: 1, maximum: 1, shared: true }), 0);
    const at = arena.putFloats(Float32Array.from([5, 6]));
    const taken = arena.takeFloats(at, 2);
    arena.reset();
    arena.putFloats(Float32Array.from([8, 9]));
    expect(Array.from(taken)).toEqual([5, 6]);
    // Ordinary memory, like any other tensor's values.
    expect(taken.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
