import { grad, linspace, relu, sigmoid, softmax, sum, tensor, type Tensor } from '@axon/tensor';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartPanel } from './render.js';

/** An activation and its slope at many points, each slope computed by `grad`. */
const curves = (name: string, f: (z: Tensor) => Tensor, from: number, to: number) => {
  const z = linspace(from, to, 201, { dtype: 'float64' });
  const value = f(z).values;
  const slope = grad((z: Tensor) => sum(f(z)))(z).values;
  return Array.from(z.values, (x, i) => [
    { activation: name, z: x, curve: 'f(z)', value: value[i] },
    { activation: name, z: x, curve: 'its slope f′(z), from grad', value: slope[i] },
  ]).flat();
};

const curvePanel = (name: string, f: (z: Tensor) => Tensor, from: number, to: number): ChartPanel => ({
  title: name,
  width: 220,
  height: 170,
  data: { values: curves(name, f, from, to) },
  mark: { type: 'line', strokeWidth: 2 },
  encoding: {
    x: { field: 'z', type: 'quantitative', title: 'z' },
    y: { field: 'value', type: 'quantitative', title: null },
    color: { field: 'curve', type: 'nominal', title: null },
    strokeDash: { field: 'curve', type: 'nominal', title: null },
  },
});

/**
 * Chapter 2's figure: sigmoid and ReLU with their slopes (from `grad`), and softmax
 * turning the scores [2, 1, 0.1] into probabilities, all computed by axon.
 */
export const activationsSpec = (): TopLevelSpec => {
  const scores = [2, 1, 0.1];
  const probabilities = softmax(tensor(scores, { dtype: 'float64' })).values;
  return {
    config: { legend: { orient: 'top', labelLimit: 400 } },
    hconcat: [
      curvePanel('sigmoid', sigmoid, -6, 6),
      curvePanel('relu', relu, -3, 3),
      {
        title: 'softmax([2, 1, 0.1])',
        width: 150,
        height: 170,
        data: {
          values: scores.map((score, i) => ({ class: `class ${i} (score ${score})`, probability: probabilities[i] })),
        },
        encoding: {
          x: { field: 'class', type: 'nominal', title: null, axis: { labelAngle: -30 } },
          y: { field: 'probability', type: 'quantitative', scale: { domain: [0, 1] } },
        },
        layer: [
          { mark: 'bar' },
          {
            mark: { type: 'text', dy: -8 },
            encoding: { text: { field: 'probability', type: 'quantitative', format: '.3f' } },
          },
        ],
      },
    ],
  };
};
