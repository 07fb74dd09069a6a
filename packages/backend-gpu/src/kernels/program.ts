/**
 * A kernel as source text: a gpu.js kernel function whose thread `this.thread.x` runs
 * over one flat output of `size` elements. Shapes are baked into the text as literals,
 * so every loop has a constant bound (gpu.js silently stops loops with variable bounds
 * after `loopMaxIterations`) and equal texts can share one compiled kernel.
 */
export interface Program {
  /** `function (a, b, ...) { ... return value; }`, parameters in operand order. */
  readonly source: string;
  /** Helper functions the source calls, as source text. */
  readonly helpers: readonly string[];
  /** Number of output elements. */
  readonly size: number;
}
