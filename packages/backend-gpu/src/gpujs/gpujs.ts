import * as gpuJsModule from 'gpu.js';

/*
 * The one place that touches gpu.js. Its bundled typings do not compile under `strict`
 * (and describe far more than this package uses), so the few parts used here are
 * declared below and the module is seen through a single cast. A plain import lets
 * bundlers pick gpu.js's browser build (its `browser` field), which leaves headless-gl
 * out; Node.js loads its CommonJS build, which reaches headless-gl itself.
 */

/**
 * The gpu.js kernel implementations this package runs on: WebGL through headless-gl
 * (Node) or a browser's WebGL 2 or 1, WebAssembly on the CPU, or plain JavaScript.
 */
export type GpuJsMode = 'headlessgl' | 'webgl2' | 'webgl' | 'webasm' | 'cpu';

/** A gpu.js texture: float32 values that stay in device memory between kernels. */
export interface GpuTexture {
  /** Width and height of the underlying GL texture, in texels. */
  readonly size: readonly number[];
  /** Downloads the values (one per output element for the 1-D outputs used here). */
  toArray(): Float32Array;
  /** Drops this handle's reference; the GL texture is freed with its last handle. */
  delete(): void;
}

/** What a kernel takes: a texture or array per tensor operand, numbers for scalars. */
export type KernelArgument = GpuTexture | Float32Array | number;

/** What a 1-D kernel returns: a texture in pipeline mode, else host values. */
export type KernelResult = GpuTexture | Float32Array;

/** The settings this package creates every kernel with. */
export interface KernelSettings {
  readonly output: readonly [number];
  /** Always `'single'`: `'unsigned'` quantizes through 8-bit RGBA channels. */
  readonly precision: 'single';
  /** Keeps the result in a texture instead of reading it back. */
  readonly pipeline: boolean;
  /** Gives each call its own output texture rather than overwriting the last one. */
  readonly immutable: boolean;
  /** Packs four floats per RGBA texel. */
  readonly optimizeFloatMemory: boolean;
  /** Declares every shader float `highp`; GPUs may otherwise compute in 16-bit `mediump`. */
  readonly tactic: 'precision';
  /** Helper functions the kernel calls, as source text. */
  readonly functions: readonly string[];
}

/** A compiled kernel, as gpu.js's run shortcut exposes it. */
export interface GpuKernel {
  (...args: KernelArgument[]): KernelResult;
  /** The implementation that actually runs, which gpu.js may swap for its CPU one with only a warning. */
  readonly kernel: { readonly constructor: { readonly mode: string }; readonly fallbackReason?: string };
  destroy(): void;
}

/** A gpu.js `GPU` instance: one context, many kernels. */
export interface GpuInstance {
  createKernel(source: string, settings: KernelSettings): GpuKernel;
  /** Destroys every kernel and, for GL modes, loses the context. */
  destroy(): Promise<void>;
}

/** The subset of a WebGL context used to ask which renderer is behind it. */
export interface RendererQueryContext {
  readonly RENDERER: number;
  getParameter(name: number): unknown;
  getExtension(name: string): unknown;
}

interface KernelClass {
  readonly isSupported: boolean;
  readonly testContext?: RendererQueryContext | null;
}

interface GpuJsModule {
  readonly GPU: new (settings: { readonly mode: GpuJsMode }) => GpuInstance;
  readonly HeadlessGLKernel: KernelClass;
  readonly WebGL2Kernel: KernelClass;
  readonly WebGLKernel: KernelClass;
  readonly WebAssemblyKernel: KernelClass;
}

// CommonJS seen from an ES module: Node.js and bundlers all put `module.exports` on `default`.
const loaded = gpuJsModule as unknown as GpuJsModule & { readonly default?: GpuJsModule };
const gpujs = loaded.default ?? loaded;

const kernelClasses: Readonly<Record<Exclude<GpuJsMode, 'cpu'>, KernelClass>> = {
  headlessgl: gpujs.HeadlessGLKernel,
  webgl2: gpujs.WebGL2Kernel,
  webgl: gpujs.WebGLKernel,
  webasm: gpujs.WebAssemblyKernel,
};

/** Whether gpu.js can run `mode` here (for `headlessgl`: `gl` is installed and made a context). */
export const isModeSupported = (mode: GpuJsMode): boolean => mode === 'cpu' || kernelClasses[mode].isSupported;

/** The context gpu.js probed a GL mode with, for asking which renderer is behind it. */
export const probeContext = (mode: 'headlessgl' | 'webgl2' | 'webgl'): RendererQueryContext | undefined =>
  kernelClasses[mode].testContext ?? undefined;

/** A gpu.js instance that runs every kernel in `mode`. */
export const createGpu = (mode: GpuJsMode): GpuInstance => new gpujs.GPU({ mode });

/** Whether a kernel result is a texture (pipeline mode on a GL backend) rather than host values. */
export const isTexture = (result: KernelResult): result is GpuTexture => !(result instanceof Float32Array);
