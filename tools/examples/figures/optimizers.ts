import type { TopLevelSpec } from 'vega-lite';

/** One point of a loss curve. */
interface LossPoint {
  readonly optimizer: string;
  readonly epoch: number;
  readonly loss: number;
}

/**
 * The loss table `guide/optimizers.ts` prints (a header of optimizer names, then one
 * row per epoch) as points; the other lines are left out.
 *
 * @example
 * lossTable('epoch  gradient descent   SGD\n1   2.3095   1.0087\n');
 * // [{ optimizer: 'gradient descent', epoch: 1, loss: 2.3095 }, { optimizer: 'SGD', epoch: 1, loss: 1.0087 }]
 */
export const lossTable = (output: string): LossPoint[] => {
  const lines = output.split('\n');
  const header = lines.find((line) => line.startsWith('epoch'));
  if (header === undefined)
    throw new Error('no loss table (a line starting with "epoch") in the output of guide/optimizers.ts');
  const names = header
    .trim()
    .split(/\s{2,}/)
    .slice(1);
  return lines
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => /^\d+$/.test(cells[0]) && cells.length === names.length + 1)
    .flatMap(([epoch, ...losses]) =>
      losses.map((loss, i) => ({ optimizer: names[i], epoch: Number(epoch), loss: Number(loss) })),
    );
};

/**
 * Chapter 6's figure: the mean training loss per epoch of each optimizer, from the run
 * the page shows.
 */
export const optimizersSpec = (output: string): TopLevelSpec => {
  const points = lossTable(output);
  return {
    title: 'Mean training loss per epoch (log scale)',
    width: 420,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss' },
      color: { field: 'optimizer', type: 'nominal', sort: [...new Set(points.map((p) => p.optimizer))], title: null },
    },
  };
};
