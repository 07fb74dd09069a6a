/**
 * Timing helpers the benchmarks share: run a function until a time budget is spent and
 * report the median and best time per call, and print fixed-width tables. Benchmarks
 * are the place for clocks; unit tests never time anything.
 */

/** Median and best wall time per call, in milliseconds. */
export interface Timing {
  readonly medianMs: number;
  readonly bestMs: number;
  readonly runs: number;
}

/**
 * Calls `run` `warmup` times, then repeatedly until `budgetMs` has passed (and at least
 * five times), timing each call.
 *
 * @example
 * ```ts
 * const t = measure(() => matmul(a, b));
 * console.log(show(t, (ms) => flops / ms / 1e6)); // GFLOP/s, "51.2 [54.0]"
 * ```
 */
export const measure = (run: () => unknown, budgetMs = 500, warmup = 5): Timing => {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], bestMs: times[0], runs: times.length };
};

/** `median [best]` of a timing mapped through `f` (a rate, or a time in other units). */
export const show = (t: Timing, f: (ms: number) => number, digits = 1): string =>
  `${f(t.medianMs).toFixed(digits)} [${f(t.bestMs).toFixed(digits)}]`;

/** A table row: the first cell left-aligned, the rest right-aligned, each padded to its width. */
export const row = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
