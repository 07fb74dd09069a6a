import { describe, expect, it } from 'vitest';
import {
  backendsIn,
  jsBackend,
  releaseTensors,
  tensor,
  tensorsIn,
  withReleaseScope,
  type Backend,
  type ManagedMemory,
  type Storage,
} from '../src/index.js';

/** A backend whose memory records what it is told, computing with the reference kernels. */
const recordingBackend = () => {
  const log: string[] = [];
  const kept: ReadonlySet<Storage>[] = [];
  const released: Storage[] = [];
  const memory: ManagedMemory = {
    openScope: () => void log.push('open'),
    closeScope: (keep) => {
      log.push('close');
      kept.push(keep);
    },
    release: (storage) => void released.push(storage),
  };
  const backend: Backend = { ...jsBackend, name: 'recording', memory };
  return { backend, log, kept, released };
};

describe('tensorsIn and backendsIn', () => {
  it('find the tensors of nested arrays and plain objects, skipping numbers and keys', () => {
    const a = tensor([1]);
    const b = tensor([2]);
    expect(tensorsIn({ params: [a, { b }], count: 3, key: [1, 2] })).toEqual([a, b]);
    expect(backendsIn([a, b])).toEqual([jsBackend]);
  });
});

describe('withReleaseScope', () => {
  it('opens one scope per managed memory and closes it with the storage of what the result keeps', () => {
    const { backend, log, kept } = recordingBackend();
    const x = tensor([1, 2], { backend });
    const result = withReleaseScope(
      [backend, backend, jsBackend],
      () => ({ state: { w: x }, loss: 1 }),
      (r) => r.state,
    );
    expect(result.loss).toBe(1);
    expect(log).toEqual(['open', 'close']);
    expect([...kept[0]]).toEqual([x.storage]);
  });

  it('closes the scope keeping nothing when the function throws', () => {
    const { backend, log, kept } = recordingBackend();
    expect(() =>
      withReleaseScope(
        [backend],
        () => {
          throw new Error('boom');
        },
        () => undefined,
      ),
    ).toThrow('boom');
    expect(log).toEqual(['open', 'close']);
    expect(kept[0].size).toBe(0);
  });

  it('just runs the function on backends that do not manage memory', () => {
    expect(
      withReleaseScope(
        [jsBackend],
        () => 42,
        () => undefined,
      ),
    ).toBe(42);
  });
});

describe('releaseTensors', () => {
  it('releases the storage of every tensor except what the survivors still use', () => {
    const { backend, released } = recordingBackend();
    const shared = tensor([1], { backend });
    const dead = tensor([2], { backend });
    const onJs = tensor([3]);
    releaseTensors({ a: shared, b: dead, c: onJs }, [shared]);
    expect(released).toEqual([dead.storage]);
  });
});
