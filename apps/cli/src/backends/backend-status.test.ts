import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { BackendChoice, BackendName } from '../training/vocabulary.js';
import { autoPreference, type BackendStatus, chooseBackend } from './backend-status.js';
import { detectBackends } from './detect-backends.js';

const statusesArbitrary: fc.Arbitrary<BackendStatus[]> = fc.subarray([...BackendName.values]).chain((names) =>
  fc.tuple(
    ...names.map((name) =>
      fc.record({
        name: fc.constant(name),
        available: fc.boolean(),
        automatic: fc.boolean(),
        detail: fc.constant(`${name} detail`),
      }),
    ),
  ),
);

describe('chooseBackend', () => {
  it('gives an available backend or says why not, for every request', () => {
    fc.assert(
      fc.property(statusesArbitrary, fc.constantFrom(...BackendChoice.values), (statuses, requested) => {
        const available = statuses.filter((s) => s.available).map((s) => s.name);
        const result = chooseBackend(statuses, requested);
        if (requested === 'auto') {
          const candidates = statuses.filter((s) => s.available && s.automatic).map((s) => s.name);
          const expected = autoPreference.find((name) => candidates.includes(name));
          expect(E.isRight(result) ? result.right.name : undefined).toBe(expected);
        } else {
          expect(E.isRight(result)).toBe(available.includes(requested));
          if (E.isLeft(result))
            expect(result.left).toMatch(
              new RegExp(
                `^--backend ${requested}: not (part of this build|available here \\(${requested} detail;) .*available: `,
              ),
            );
        }
      }),
    );
  });

  it('explains the choice, naming what it passed over', () => {
    const js: BackendStatus = { name: 'js', available: true, automatic: true, detail: 'plain TypeScript' };
    const wasm: BackendStatus = { name: 'wasm', available: true, automatic: true, detail: 'SIMD' };
    const cpuGpu: BackendStatus = { name: 'gpu', available: true, automatic: false, detail: 'gpu.js webasm: no GPU' };
    expect(chooseBackend([js], 'auto')).toEqual(E.right({ name: 'js', reason: 'the only backend available here' }));
    expect(chooseBackend([cpuGpu, wasm, js], 'auto')).toEqual(
      E.right({
        name: 'wasm',
        reason: 'the fastest backend available here, over gpu, which would not run on a real device here',
      }),
    );
    expect(chooseBackend([cpuGpu, wasm, js], 'gpu')).toEqual(
      E.right({ name: 'gpu', reason: 'requested with --backend' }),
    );
  });
});

describe('detectBackends', () => {
  it('always has the plain TypeScript backend, and says whether the others can run', async () => {
    const statuses = await detectBackends();
    expect(statuses.map((s) => s.name).sort()).toEqual(['gpu', 'js', 'wasm']);
    expect(statuses.find((status) => status.name === 'js')?.available).toBe(true);
    statuses.forEach((status) => expect(status.detail.length).toBeGreaterThan(0));
  });
});
