import * as E from 'fp-ts/lib/Either.js';
import type { BackendChoice, BackendName } from '../training/vocabulary.js';

/** Whether a backend can run here, and what was found out about it. */
export interface BackendStatus {
  readonly name: BackendName;
  readonly available: boolean;
  /**
   * Whether `--backend auto` may pick it. False for the gpu backend when gpu.js would
   * only run on the CPU or a software rasterizer, where the wasm backend is faster.
   */
  readonly automatic: boolean;
  /** One phrase, e.g. `plain TypeScript, runs everywhere` or `no WebAssembly SIMD in this Node`. */
  readonly detail: string;
}

/** The backend a run uses, and why. */
export interface BackendPick {
  readonly name: BackendName;
  readonly reason: string;
}

/** The order `--backend auto` tries backends in: the fastest kind first. */
export const autoPreference: readonly BackendName[] = ['gpu', 'wasm', 'js'];

/**
 * Picks the backend for a `--backend` choice: the requested one if it is available
 * here, or for `auto` the first available and automatic one in {@link autoPreference}.
 * Left is one line saying why the request cannot be met.
 *
 * @example
 * chooseBackend([{ name: 'js', available: true, automatic: true, detail: '…' }], 'auto');
 * // right({ name: 'js', reason: 'the only backend available here' })
 * chooseBackend([{ name: 'js', available: true, automatic: true, detail: '…' }], 'gpu');
 * // left('--backend gpu: not part of this build (available: js)')
 */
export function chooseBackend(
  statuses: readonly BackendStatus[],
  requested: BackendChoice,
): E.Either<string, BackendPick> {
  const available = statuses.filter((status) => status.available);
  const names = available.map((status) => status.name).join(', ') || 'none';
  if (requested !== 'auto') {
    const status = statuses.find((candidate) => candidate.name === requested);
    if (status === undefined) return E.left(`--backend ${requested}: not part of this build (available: ${names})`);
    return status.available
      ? E.right({ name: requested, reason: 'requested with --backend' })
      : E.left(`--backend ${requested}: not available here (${status.detail}; available: ${names})`);
  }
  const candidates = available.filter((status) => status.automatic);
  const best = autoPreference.find((name) => candidates.some((status) => status.name === name));
  if (best === undefined) return E.left('no backend is available here');
  const passedOver = statuses
    .filter((status) => autoPreference.indexOf(status.name) < autoPreference.indexOf(best))
    .map(
      (status) =>
        `${status.name}, which ${status.available ? 'would not run on a real device here' : 'is unavailable'}`,
    );
  return E.right({
    name: best,
    reason:
      available.length === 1
        ? 'the only backend available here'
        : `the fastest backend available here${passedOver.length > 0 ? `, over ${passedOver.join(' and ')}` : ''}`,
  });
}
