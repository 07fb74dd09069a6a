import type { GpuJsMode } from '../gpujs/gpujs.js';
import { glModes, type GpuModeRequest } from './mode.js';
import type { ModeProbe } from '../edge/probe.js';

/** A mode to try, in order, and why it would be chosen. */
export interface Attempt {
  readonly mode: GpuJsMode;
  readonly reason: string;
}

/** The modes worth trying for a request, and why others were passed over (for error messages). */
export interface Plan {
  readonly attempts: readonly Attempt[];
  readonly passedOver: readonly string[];
}

const describe = (probe: ModeProbe): string => {
  switch (probe.kind) {
    case 'unavailable':
      return `${probe.mode} is unavailable: ${probe.why}`;
    case 'hardware':
      return `${probe.mode} renders on a GPU (${probe.renderer})`;
    case 'software':
      return `${probe.mode} renders with a software rasterizer (${probe.renderer}), not a GPU`;
    case 'cpu':
      return probe.mode === 'webasm'
        ? "gpu.js's WebAssembly mode runs on the CPU"
        : "gpu.js's JavaScript mode runs on the CPU";
  }
};

/**
 * Orders the modes to try for `request`, given what `probe` says about each mode
 * (pure: the probing happens elsewhere).
 *
 * - A named mode is tried if it is available at all, and its reason says plainly when
 *   that means software rendering or the CPU.
 * - `gpu` tries only GL modes that render on a GPU.
 * - `auto` tries those first, then gpu.js's WebAssembly mode (faster on a CPU than a
 *   software rasterizer), then its JavaScript mode; the reason names what was passed over.
 *
 * @example
 * ```ts
 * planModes('auto', probeMode).attempts[0];
 * // { mode: 'webasm', reason: 'auto: no GPU: headlessgl renders with a software rasterizer (...); using ...' }
 * ```
 */
export const planModes = (request: GpuModeRequest, probe: (mode: GpuJsMode) => ModeProbe): Plan => {
  if (request !== 'auto' && request !== 'gpu') {
    const probed = probe(request);
    return probed.kind === 'unavailable'
      ? { attempts: [], passedOver: [describe(probed)] }
      : { attempts: [{ mode: request, reason: `requested: ${describe(probed)}` }], passedOver: [] };
  }
  const gl = glModes.map(probe);
  const gpus = gl.filter((p) => p.kind === 'hardware');
  // Why there is no GPU, leaving out modes this environment never has (WebGL in Node).
  const noGpu = gl.filter((p) => p.kind === 'software' || (p.kind === 'unavailable' && !p.expected)).map(describe);
  const passedOver = [...noGpu];
  const attempts: Attempt[] = gpus.map((p) => ({ mode: p.mode, reason: `${request}: ${describe(p)}` }));
  if (request === 'gpu') {
    if (attempts.length === 0) passedOver.push("name a mode such as 'headlessgl' or 'webasm' to run without a GPU");
    return { attempts, passedOver };
  }
  for (const mode of ['webasm', 'cpu'] as const) {
    const probed = probe(mode);
    if (probed.kind === 'unavailable') {
      passedOver.push(describe(probed));
      continue;
    }
    const why = noGpu.length > 0 ? ` (${noGpu.join('; ')})` : '';
    attempts.push({ mode, reason: `auto: no GPU${why}; ${describe(probed)}` });
  }
  return { attempts, passedOver };
};
