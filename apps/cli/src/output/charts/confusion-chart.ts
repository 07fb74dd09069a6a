import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './vega-svg.js';

/** One cell of a confusion matrix. */
interface ConfusionCell {
  readonly actual: string;
  readonly predicted: string;
  readonly count: number;
}

/**
 * The Vega-Lite heat map of a confusion matrix: true classes down, predicted classes
 * across, each cell shaded by and labelled with its count.
 *
 * @param matrix `matrix[i][j]`: how many samples of class i were predicted as class j (rows = true class).
 * @param classNames One name per class, in matrix order.
 * @example
 * confusionChartSpec([[5, 1], [0, 4]], ['cat', 'dog']);
 */
function confusionChartSpec(matrix: readonly (readonly number[])[], classNames: readonly string[]): TopLevelSpec {
  const cells: ConfusionCell[] = matrix.flatMap((row, i) =>
    row.map((count, j) => ({ actual: classNames[i], predicted: classNames[j], count })),
  );
  const order = [...classNames];
  const largest = Math.max(1, ...cells.map((cell) => cell.count));
  return {
    title: 'Confusion matrix',
    data: { values: cells },
    width: Math.max(200, 32 * classNames.length),
    height: Math.max(200, 32 * classNames.length),
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: order, title: 'predicted class' },
      y: { field: 'actual', type: 'nominal', sort: order, title: 'true class' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', title: 'samples' } } },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          // Dark text on light cells, light text on dark ones.
          color: { condition: { test: `datum.count > ${largest / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/**
 * A confusion matrix charted as an SVG document, for `axon evaluate --confusion-svg`.
 *
 * @example
 * await writeFile('confusion.svg', await confusionChartSvg(matrix, classNames));
 */
export function confusionChartSvg(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
): Promise<string> {
  return renderSvg(confusionChartSpec(matrix, classNames));
}
