import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../training/history.js';
import { confusionChartSvg } from './confusion-chart.js';
import { historyPoints, trainingChartSvg } from './training-chart.js';

// Metrics with six decimals: what training produces, without the subnormal numbers Vega labels as 0.
const metric = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 3_000_000 }).map((n) => n / 1e6) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);
const historyArbitrary = fc.boolean().chain((validation) =>
  fc
    .array(fc.record({ loss: metric, accuracy: metric, valLoss: metric, valAccuracy: metric }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((rows) =>
      rows.map(({ loss, accuracy, valLoss, valAccuracy }, i): EpochRecord => ({
        epoch: i + 1,
        loss,
        accuracy,
        seconds: 1,
        ...(validation ? { valLoss, valAccuracy } : {}),
      })),
    ),
);

/** The points an SVG chart labels for accessibility (`epoch: 2; value: 0.5; data: train`), each once. */
const labelledPoints = (svg: string): { epoch: number; value: number; data: string }[] =>
  [...new Set(svg.match(/aria-label="epoch: \d+; value: [^;]+; data: \w+"/g))].map((label) => {
    const [, epoch, value, data] = /epoch: (\d+); value: ([^;]+); data: (\w+)/.exec(label) ?? [];
    return { epoch: Number(epoch), value: Number(value), data };
  });

/** Whether two chart values agree to the 12 significant digits Vega labels them with. */
const sameValue = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-11 * Math.max(Math.abs(a), Math.abs(b));

describe('training chart', () => {
  it('plots every finite loss and accuracy, training and validation, and nothing else, a panel per metric', async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (history) => {
        const svg = await trainingChartSvg(history);
        expect(svg.startsWith('<svg')).toBe(true);
        const labelled = labelledPoints(svg);
        // Points of equal epoch, value and series coincide, so each distinct point is labelled once.
        const expected = historyPoints(history).filter(
          (p, i, all) =>
            all.findIndex((q) => q.epoch === p.epoch && q.data === p.data && sameValue(q.value, p.value)) === i,
        );
        expect(labelled).toHaveLength(expected.length);
        for (const point of expected) {
          expect(
            labelled.some((l) => l.epoch === point.epoch && l.data === point.data && sameValue(l.value, point.value)),
          ).toBe(true);
        }
        for (const metric of ['loss', 'accuracy']) {
          expect(svg.includes(`Title text '${metric}'`)).toBe(historyPoints(history).some((p) => p.metric === metric));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('leaves out NaN values and keeps the validation series only when there is one', () => {
    expect(historyPoints([{ epoch: 1, loss: Number.NaN, accuracy: 0.5, seconds: 1 }])).toEqual([
      { epoch: 1, metric: 'accuracy', data: 'train', value: 0.5 },
    ]);
    expect(
      historyPoints([{ epoch: 2, loss: 1, accuracy: 0.5, seconds: 1, valLoss: 2, valAccuracy: 0.25 }]).map(
        (p) => `${p.metric}/${p.data}`,
      ),
    ).toEqual(['loss/train', 'accuracy/train', 'loss/validation', 'accuracy/validation']);
  });
});

describe('confusion matrix chart', () => {
  it('draws one labelled cell per pair of classes, rows being true classes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.array(fc.array(fc.nat(1000), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
          ),
        async (matrix) => {
          const names = matrix.map((_, i) => `class ${i}`);
          const svg = await confusionChartSvg(matrix, names);
          const cells = [
            ...svg.matchAll(/aria-label="predicted class: ([^;]+); true class: ([^;]+); samples: (\d+)"/g),
          ];
          expect(cells).toHaveLength(matrix.length ** 2);
          for (const [, predicted, actual, count] of cells) {
            expect(Number(count)).toBe(matrix[names.indexOf(actual)][names.indexOf(predicted)]);
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
