import type { GpuInstance, GpuKernel, GpuJsMode, KernelSettings } from '../gpujs/gpujs.js';
import type { Program } from './program.js';

/**
 * A compiled kernel and the number of its output textures still alive. gpu.js ties a
 * texture to the kernel that rendered it (reading it back goes through that kernel's
 * framebuffer, and `destroy()` deletes the first texture the kernel made even while a
 * clone still refers to it), so a kernel is destroyed only once nothing it made is alive.
 */
export class CompiledKernel {
  private live = 0;
  private retired = false;

  constructor(readonly run: GpuKernel) {}

  /** Records one more live output texture. */
  hold(): void {
    this.live++;
  }

  /** Records that an output texture was deleted. */
  drop(): void {
    this.live--;
    this.destroyIfUnused();
  }

  /** Marks the kernel unused by the cache; it is destroyed when its last output goes. */
  retire(): void {
    this.retired = true;
    this.destroyIfUnused();
  }

  private destroyIfUnused(): void {
    if (this.retired && this.live === 0) this.run.destroy();
  }
}

/**
 * Compiled kernels by source text and operand sizes, least recently used first. Shapes
 * are baked into the text, so a model compiles one kernel per op and shape; past
 * `capacity` the oldest is retired (300 kernels left alive held 170 MB in gpu.js).
 */
export class KernelCache {
  private readonly kernels = new Map<string, CompiledKernel>();

  constructor(
    private readonly gpu: GpuInstance,
    private readonly mode: GpuJsMode,
    private readonly pipeline: boolean,
    private readonly capacity: number,
  ) {}

  /** Number of kernels currently compiled. */
  get size(): number {
    return this.kernels.size;
  }

  /**
   * The kernel for `program` with operands of `operandSizes` elements (`undefined` for
   * a scalar), compiled on first use. Operand sizes are part of the key because gpu.js
   * bakes each argument's texture size into the shader, so a kernel fed a texture of
   * another size reads the wrong elements without a word.
   */
  get(program: Program, operandSizes: readonly (number | undefined)[]): CompiledKernel {
    const key = `${program.size}(${operandSizes.join(',')})\n${program.helpers.join('\n')}\n${program.source}`;
    const cached = this.kernels.get(key);
    if (cached !== undefined) {
      this.kernels.delete(key);
      this.kernels.set(key, cached);
      return cached;
    }
    const settings: KernelSettings = {
      output: [program.size],
      precision: 'single',
      pipeline: this.pipeline,
      immutable: this.pipeline,
      optimizeFloatMemory: this.pipeline,
      tactic: 'precision',
      functions: program.helpers,
    };
    const compiled = new CompiledKernel(this.gpu.createKernel(program.source, settings));
    this.kernels.set(key, compiled);
    for (const [oldestKey, oldest] of this.kernels) {
      if (this.kernels.size <= this.capacity) break;
      this.kernels.delete(oldestKey);
      oldest.retire();
    }
    return compiled;
  }

  /**
   * Throws when gpu.js replaced a kernel by another implementation (it falls back to
   * its CPU mode with only a console warning), so a mode never runs as another.
   */
  checkRanAsMode(kernel: CompiledKernel): void {
    // gpu.js's GL kernels all report the mode 'gpu'.
    const expected = this.mode === 'webasm' || this.mode === 'cpu' ? this.mode : 'gpu';
    const ran = kernel.run.kernel.constructor.mode;
    if (ran !== expected) {
      const why = kernel.run.kernel.fallbackReason ?? 'no reason given';
      throw new Error(`gpu.js ran a kernel in its '${ran}' mode instead of '${this.mode}' (${why})`);
    }
  }
}
