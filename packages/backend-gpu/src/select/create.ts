import * as E from 'fp-ts/lib/Either.js';
import {
  buildGpuBackend,
  type BuiltGpuBackend,
  type GpuBackend,
  type GpuMemoryOptions,
} from '../backend/gpu-backend.js';
import type { GpuJsMode } from '../gpujs/gpujs.js';
import type { GpuModeRequest } from './mode.js';
import { planModes } from './plan.js';
import { explainUnavailable, probeMode, type ExplainUnavailable, type ModeProbe } from '../edge/probe.js';
import { selfCheck } from './self-check.js';

/** Options of {@link createGpuBackend}. */
export interface GpuBackendOptions extends GpuMemoryOptions {
  /** The mode to use, or how to choose one (default `'auto'`). */
  readonly mode?: GpuModeRequest;
}

/** A checked gpu.js backend and the story of how it was chosen. */
export interface GpuBackendChoice {
  readonly backend: GpuBackend;
  readonly mode: GpuJsMode;
  /** True only when kernels run on a GPU rather than a software rasterizer or the CPU. */
  readonly hardware: boolean;
  /** Why this mode, in words for `axon info` and training headers. */
  readonly reason: string;
}

/**
 * Selects a gpu.js mode, builds the backend and checks it against the reference
 * backend before handing it out.
 *
 * A named mode is honoured or refused with the reason; `gpu` insists on a hardware GPU;
 * `auto` prefers one, names any software rasterizer it passes over, and falls back to
 * gpu.js's WebAssembly mode. Every candidate runs a start-up self-check (a small
 * product compared with the reference backend) and is refused if it disagrees.
 *
 * Runs in browsers (webgl2, webgl, webasm, cpu) and in Node.js (headlessgl, webasm,
 * cpu); in Node.js, the same function from `@axon/backend-gpu/node` also says why
 * headless-gl is missing when it is.
 *
 * @example
 * ```ts
 * pipe(
 *   createGpuBackend({ mode: 'auto' }),
 *   E.match(
 *     (error) => fail(error),
 *     ({ backend, mode, reason }) => {
 *       report(`backend: gpu.js ${mode} (${reason})`);
 *       return train(model, toBackend(params, backend));
 *     },
 *   ),
 * );
 * ```
 */
export const createGpuBackend = (options: GpuBackendOptions = {}): E.Either<string, GpuBackendChoice> =>
  createGpuBackendExplaining(explainUnavailable, options);

/** {@link createGpuBackend} with a runtime's own explanations of unavailable modes (Node.js's entry knows headless-gl's). */
export const createGpuBackendExplaining = (
  explain: ExplainUnavailable,
  options: GpuBackendOptions = {},
): E.Either<string, GpuBackendChoice> => {
  const request = options.mode ?? 'auto';
  const probes = new Map<GpuJsMode, ModeProbe>();
  const probe = (mode: GpuJsMode): ModeProbe => {
    const known = probes.get(mode) ?? probeMode(mode, explain);
    probes.set(mode, known);
    return known;
  };
  const { attempts, passedOver } = planModes(request, probe);
  const refused: string[] = [];
  for (const { mode, reason } of attempts) {
    let built: BuiltGpuBackend;
    try {
      built = buildGpuBackend(mode, options);
    } catch (error) {
      refused.push(`${mode}, which gpu.js could not start: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const { backend, release } = built;
    const problem = selfCheck(backend);
    if (problem === undefined) {
      const after = refused.length > 0 ? ` (after refusing ${refused.join('; ')})` : '';
      return E.right({ backend, mode, hardware: probe(mode).kind === 'hardware', reason: reason + after });
    }
    refused.push(`${mode}, whose self-check failed: ${problem}`);
    // A refused candidate's GL context is lost on destroy; failing to tear it down changes nothing for the caller.
    release().catch(() => undefined);
  }
  const why = [...passedOver, ...refused.map((r) => `refused ${r}`)].join('; ');
  return E.left(`no usable gpu.js mode for '${request}': ${why || 'nothing to try'}`);
};
