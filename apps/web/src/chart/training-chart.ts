/** One point of the chart: after `step` updates, the batch's loss and accuracy. */
export interface ChartPoint {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
}

const lossColour = '#c0392b';
const accuracyColour = '#2471a3';

/**
 * Draws the loss (left axis, from 0 to the largest loss seen) and the accuracy (right
 * axis, 0 to 1) of every batch so far, as two lines over the steps of the run.
 *
 * @example
 * ```ts
 * drawTrainingChart(canvas, points, totalSteps);
 * ```
 */
export const drawTrainingChart = (
  canvas: HTMLCanvasElement,
  points: readonly ChartPoint[],
  totalSteps: number,
): void => {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  const [left, right, top, bottom] = [44, width - 44, 12, height - 24];
  context.clearRect(0, 0, width, height);
  context.font = '11px system-ui, sans-serif';
  context.strokeStyle = '#bbb';
  context.lineWidth = 1;
  context.strokeRect(left, top, right - left, bottom - top);
  const maxLoss = Math.max(0.5, ...points.map((p) => p.loss));
  const x = (step: number) => left + ((right - left) * step) / Math.max(1, totalSteps);
  const line = (value: (p: ChartPoint) => number, colour: string) => {
    context.strokeStyle = colour;
    context.lineWidth = 1.5;
    context.beginPath();
    points.forEach((p, i) => {
      const y = bottom - (bottom - top) * value(p);
      if (i === 0) context.moveTo(x(p.step), y);
      else context.lineTo(x(p.step), y);
    });
    context.stroke();
  };
  line((p) => p.loss / maxLoss, lossColour);
  line((p) => p.accuracy, accuracyColour);
  context.fillStyle = lossColour;
  context.textAlign = 'right';
  context.fillText(maxLoss.toFixed(2), left - 4, top + 8);
  context.fillText('loss', left - 4, (top + bottom) / 2);
  context.fillText('0', left - 4, bottom);
  context.fillStyle = accuracyColour;
  context.textAlign = 'left';
  context.fillText('1.0', right + 4, top + 8);
  context.fillText('acc.', right + 4, (top + bottom) / 2);
  context.fillText('0', right + 4, bottom);
  context.fillStyle = '#555';
  context.textAlign = 'center';
  context.fillText(`step ${points.at(-1)?.step ?? 0} of ${totalSteps}`, (left + right) / 2, height - 6);
};
