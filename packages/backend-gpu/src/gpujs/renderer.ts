import type { RendererQueryContext } from './gpujs.js';

/** `WEBGL_debug_renderer_info`'s constant for the unmasked renderer string. */
const UNMASKED_RENDERER_WEBGL = 0x9246;

/**
 * The name of the rasterizer behind a WebGL context, e.g. `ANGLE (Mesa/X.org llvmpipe
 * (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)` or `NVIDIA GeForce RTX 3080/PCIe/SSE2`.
 *
 * Browsers reveal it through `WEBGL_debug_renderer_info`. headless-gl lacks that
 * extension and its JavaScript layer answers `RENDERER` with a constant `'ANGLE'`, but
 * the native binding it extends answers with ANGLE's description of the real driver,
 * so the most derived answer down the prototype chain is the informative one.
 */
export const rendererOf = (context: RendererQueryContext): string => {
  if (context.getExtension('WEBGL_debug_renderer_info') !== null) {
    const unmasked = context.getParameter(UNMASKED_RENDERER_WEBGL);
    if (typeof unmasked === 'string' && unmasked !== '') return unmasked;
  }
  let answer = String(context.getParameter(context.RENDERER));
  for (
    let proto: object | null = Object.getPrototypeOf(context);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    const own: unknown = Object.getOwnPropertyDescriptor(proto, 'getParameter')?.value;
    if (typeof own !== 'function') continue;
    const value: unknown = Reflect.apply(own, context, [context.RENDERER]);
    if (typeof value === 'string' && value.length > answer.length) answer = value;
  }
  return answer;
};

/** Names of rasterizers that run on the CPU: Mesa's, SwiftShader, Microsoft Basic Render. */
const softwareRenderers = /llvmpipe|softpipe|swrast|lavapipe|swiftshader|software|basic render/i;

/** Whether a renderer string names a software rasterizer rather than a GPU. */
export const isSoftwareRenderer = (renderer: string): boolean => softwareRenderers.test(renderer);
