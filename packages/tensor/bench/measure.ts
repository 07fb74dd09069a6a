/**
 * Timing helpers shared by the benchmarks: run a function until a time budget is spent
 * and report the median and best time per call.
 */
export interface Timing {
  readonly medianMs: number;
  readonly bestMs: number;
  readonly runs: number;
}

export const measure = (run: () => unknown, budgetMs = 400, warmup = 3): Timing => {
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

/** A fixed-width table row. */
export const row = (cells: readonly (string | number)[], widths: readonly number[]): string =>
  cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
