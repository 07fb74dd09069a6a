import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostStorage, jsBackend, type Backend } from '@axon/tensor';
import type { GpuJsMode, RendererQueryContext } from '../src/gpujs/gpujs.js';
import { isSoftwareRenderer, rendererOf } from '../src/gpujs/renderer.js';
import { explainUnavailable } from '../src/index.js';
import { createGpuBackend, probeMode, type ModeProbe } from '../src/edge/index.js';
import { planModes } from '../src/select/plan.js';
import { selfCheck } from '../src/select/self-check.js';
import { gpuBackend, testMode } from './support.js';

const llvmpipe = 'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)';
const nvidia = 'NVIDIA GeForce RTX 3080/PCIe/SSE2';

type Kind = ModeProbe['kind'];

/** Probes answering `kinds[mode]` (webasm and cpu default to 'cpu', GL modes to unavailable). */
const probes =
  (kinds: Partial<Record<GpuJsMode, Kind>>) =>
  (mode: GpuJsMode): ModeProbe => {
    const kind = kinds[mode] ?? (mode === 'webasm' || mode === 'cpu' ? 'cpu' : 'unavailable');
    switch (kind) {
      case 'unavailable':
        return { mode, kind, why: `no ${mode} here`, expected: mode !== 'headlessgl' };
      case 'hardware':
        return { mode, kind, renderer: nvidia };
      case 'software':
        return { mode, kind, renderer: llvmpipe };
      case 'cpu':
        return { mode, kind };
    }
  };

const modesOf = (request: Parameters<typeof planModes>[0], kinds: Partial<Record<GpuJsMode, Kind>>) =>
  planModes(request, probes(kinds)).attempts.map((a) => a.mode);

describe('planning which gpu.js modes to try', () => {
  it('auto prefers a hardware GPU, then WebAssembly, then JavaScript', () => {
    expect(modesOf('auto', { headlessgl: 'hardware' })).toEqual(['headlessgl', 'webasm', 'cpu']);
    expect(planModes('auto', probes({ headlessgl: 'hardware' })).attempts[0].reason).toContain(nvidia);
  });

  it('auto passes over a software rasterizer and says so', () => {
    const { attempts } = planModes('auto', probes({ headlessgl: 'software' }));
    expect(attempts.map((a) => a.mode)).toEqual(['webasm', 'cpu']);
    expect(attempts[0].reason).toMatch(/no GPU.*software rasterizer.*llvmpipe.*WebAssembly/);
  });

  it('auto explains a missing headless-gl but not WebGL, which Node never has', () => {
    const { attempts } = planModes('auto', probes({}));
    expect(attempts[0].reason).toContain('no headlessgl here');
    expect(attempts[0].reason).not.toContain('webgl');
  });

  it('gpu insists on hardware and explains its refusal', () => {
    expect(modesOf('gpu', { headlessgl: 'hardware' })).toEqual(['headlessgl']);
    const plan = planModes('gpu', probes({ headlessgl: 'software' }));
    expect(plan.attempts).toEqual([]);
    expect(plan.passedOver.join('; ')).toMatch(/software rasterizer.*name a mode/);
  });

  it('a named mode is tried if it exists, with software rendering called what it is', () => {
    const plan = planModes('headlessgl', probes({ headlessgl: 'software' }));
    expect(plan.attempts.map((a) => a.mode)).toEqual(['headlessgl']);
    expect(plan.attempts[0].reason).toMatch(/software rasterizer.*not a GPU/);
    expect(planModes('headlessgl', probes({})).attempts).toEqual([]);
    expect(planModes('webasm', probes({})).attempts[0].reason).toMatch(/WebAssembly mode runs on the CPU/);
  });

  it('never offers a software or missing GL mode as a GPU, whatever the machine', () => {
    const kindArb = fc.constantFrom<Kind>('unavailable', 'hardware', 'software');
    fc.assert(
      fc.property(fc.record({ headlessgl: kindArb, webgl2: kindArb, webgl: kindArb }), (kinds) => {
        for (const request of ['auto', 'gpu'] as const) {
          const gl = modesOf(request, kinds).filter((m) => m !== 'webasm' && m !== 'cpu');
          expect(gl.every((m) => kinds[m as 'headlessgl'] === 'hardware')).toBe(true);
        }
        expect(modesOf('gpu', kinds).length).toBe(Object.values(kinds).filter((k) => k === 'hardware').length);
      }),
    );
  });
});

describe('planning in a browser', () => {
  const swiftShader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
  /** A browser's probes: headless-gl never exists there; WebGL 2 and WebGL as given. */
  const browserProbes =
    (webgl2: ModeProbe['kind'], webgl: ModeProbe['kind']) =>
    (mode: GpuJsMode): ModeProbe => {
      if (mode === 'headlessgl')
        return { mode, kind: 'unavailable', why: 'headless-gl is WebGL for Node.js', expected: true };
      if (mode === 'webasm' || mode === 'cpu') return { mode, kind: 'cpu' };
      const kind = mode === 'webgl2' ? webgl2 : webgl;
      if (kind === 'unavailable' || kind === 'cpu')
        return { mode, kind: 'unavailable', why: `no ${mode}`, expected: false };
      return { mode, kind, renderer: kind === 'hardware' ? nvidia : swiftShader };
    };

  it('auto picks webgl2, then webgl, on a hardware GPU', () => {
    expect(planModes('auto', browserProbes('hardware', 'hardware')).attempts.map((a) => a.mode)).toEqual([
      'webgl2',
      'webgl',
      'webasm',
      'cpu',
    ]);
    expect(planModes('auto', browserProbes('unavailable', 'hardware')).attempts.map((a) => a.mode)).toEqual([
      'webgl',
      'webasm',
      'cpu',
    ]);
  });

  it('auto names SwiftShader as a software rasterizer and says nothing of headless-gl', () => {
    const { attempts } = planModes('auto', browserProbes('software', 'software'));
    expect(attempts.map((a) => a.mode)).toEqual(['webasm', 'cpu']);
    expect(attempts[0].reason).toMatch(
      /no GPU.*webgl2 renders with a software rasterizer \(ANGLE \(Google, Vulkan.*SwiftShader/,
    );
    expect(attempts[0].reason).not.toMatch(/headless/);
  });

  it('honours webgl2 on SwiftShader when asked, calling it software rendering', () => {
    const { attempts } = planModes('webgl2', browserProbes('software', 'software'));
    expect(attempts).toEqual([
      {
        mode: 'webgl2',
        reason: expect.stringMatching(
          /^requested: webgl2 renders with a software rasterizer .*SwiftShader.*, not a GPU$/,
        ),
      },
    ]);
  });
});

describe("the main entry's explanations, which hold in any runtime", () => {
  it("in Node.js: WebGL is a browser's, and headless-gl points to the Node entry for its reason", () => {
    expect(explainUnavailable('webgl2')).toEqual({
      why: "webgl2 needs a browser's WebGL; in Node use headlessgl",
      expected: true,
    });
    expect(explainUnavailable('headlessgl')).toEqual({
      why: expect.stringContaining("'@axon/backend-gpu/node' says why"),
      expected: false,
    });
  });
});

describe('naming the renderer', () => {
  const RENDERER = 0x1f01;

  it("reads headless-gl's native answer beneath its constant 'ANGLE'", () => {
    class Native {
      readonly RENDERER = RENDERER;
      getParameter(name: number): unknown {
        return name === RENDERER ? llvmpipe : null;
      }
      getExtension(): unknown {
        return null;
      }
    }
    class HeadlessGl extends Native {
      override getParameter(name: number): unknown {
        return name === RENDERER ? 'ANGLE' : super.getParameter(name);
      }
    }
    expect(rendererOf(new HeadlessGl())).toBe(llvmpipe);
  });

  it("uses a browser's WEBGL_debug_renderer_info when it has one", () => {
    const browser: RendererQueryContext = {
      RENDERER,
      getParameter: (name) => (name === 0x9246 ? nvidia : 'WebKit WebGL'),
      getExtension: (name) => (name === 'WEBGL_debug_renderer_info' ? {} : null),
    };
    expect(rendererOf(browser)).toBe(nvidia);
  });

  it('tells software rasterizers from GPUs', () => {
    for (const renderer of [
      llvmpipe,
      'Google SwiftShader',
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))',
      'Microsoft Basic Render Driver',
      'softpipe',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
    ]) {
      expect(isSoftwareRenderer(renderer)).toBe(true);
    }
    for (const renderer of [
      nvidia,
      'ANGLE (NVIDIA, NVIDIA GeForce GTX 1060 Direct3D11 vs_5_0 ps_5_0)',
      'Apple M1',
      'AMD Radeon Pro 5500M OpenGL Engine',
      'Mesa Intel(R) UHD Graphics 620 (KBL GT2)',
    ]) {
      expect(isSoftwareRenderer(renderer)).toBe(false);
    }
  });
});

describe('the start-up self-check', () => {
  /** A backend whose matmul silently sums only the first 1000 terms, as gpu.js's loop cap does. */
  const cappedLoops: Backend = {
    ...jsBackend,
    matmul: (a, b, spec) =>
      spec.k <= 1000
        ? jsBackend.matmul(a, b, spec)
        : jsBackend.matmul(
            hostStorage(
              'float32',
              Float32Array.from(a.read() as Float32Array, (v, i) => (i % spec.k < 1000 ? v : 0)),
            ),
            b,
            spec,
          ),
  };

  it('refuses a backend whose long loops are cut short', () => {
    expect(selfCheck(cappedLoops)).toMatch(/element \d+ of a \[5,1100\]·\[1100,3\] product/);
  });

  it('refuses a backend that throws', () => {
    expect(
      selfCheck({
        ...jsBackend,
        matmul: () => {
          throw new Error('no context');
        },
      }),
    ).toMatch(/threw: no context/);
  });

  it(`accepts the reference backend and gpu.js's ${testMode} mode`, () => {
    expect(selfCheck(jsBackend)).toBeUndefined();
    expect(selfCheck(gpuBackend())).toBeUndefined();
  });
});

describe('choosing a mode on this machine', () => {
  it(`honours an explicit request for ${testMode}`, () => {
    const choice = createGpuBackend({ mode: testMode });
    expect(choice._tag).toBe('Right');
    if (choice._tag === 'Right') {
      expect(choice.right.mode).toBe(testMode);
      expect(choice.right.backend.mode).toBe(testMode);
      expect(choice.right.reason).toMatch(/^requested: /);
    }
  });

  it('refuses a mode this environment cannot run, with the reason', () => {
    const choice = createGpuBackend({ mode: 'webgl2' });
    expect(choice).toEqual({ _tag: 'Left', left: expect.stringMatching(/webgl2 needs a browser/) });
  });

  it('claims a GPU only when the renderer is one, and names a software renderer it passes over', () => {
    const choice = createGpuBackend({ mode: 'auto' });
    if (choice._tag === 'Left') throw new Error(choice.left);
    const headless = probeMode('headlessgl');
    expect(choice.right.hardware).toBe(probeMode(choice.right.mode).kind === 'hardware');
    if (headless.kind === 'software') {
      expect(choice.right.mode).toBe('webasm');
      expect(choice.right.reason).toContain(headless.renderer);
    }
    const gpuOnly = createGpuBackend({ mode: 'gpu' });
    expect(gpuOnly._tag === 'Right').toBe(
      ['headlessgl', 'webgl2', 'webgl'].some((m) => probeMode(m as GpuJsMode).kind === 'hardware'),
    );
  });
});
