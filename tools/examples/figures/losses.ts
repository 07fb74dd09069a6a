import { losses } from '@axon/nn';
import { grad, linspace, oneHot, softmax, stack, sum, zeros, zerosLike, type Tensor } from '@axon/tensor';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartPanel } from './render.js';

/**
 * Chapter 3's figure: for one sample of two classes whose true class gets probability
 * p = softmax([z, 0])[0], the cross-entropy and the squared error as functions of p,
 * and how hard each pushes the score z (|∂loss/∂z|, from `grad`): cross-entropy pushes
 * hardest when the model is surest of the wrong class, squared error hardly at all.
 */
export const lossesSpec = (): TopLevelSpec => {
  const z = linspace(-6, 6, 241, { dtype: 'float64' });
  const labels = zeros([z.shape[0]], { dtype: 'int32' });
  const targets = oneHot(labels, 2, 'float64');
  const probabilities = (z: Tensor): Tensor => softmax(stack([z, zerosLike(z)], 1));
  const named = [
    {
      name: 'cross-entropy',
      perSample: (z: Tensor) => losses.sparseCategoricalCrossentropy().perSample(labels, probabilities(z)),
    },
    { name: 'squared error', perSample: (z: Tensor) => losses.meanSquaredError().perSample(targets, probabilities(z)) },
  ];
  const p = probabilities(z).values.filter((_, i) => i % 2 === 0);
  const points = named.flatMap(({ name, perSample }) => {
    const value = perSample(z).values;
    const slope = grad((z: Tensor) => sum(perSample(z)))(z).values;
    return Array.from(p, (pi, i) => ({ loss: name, p: pi, value: value[i], push: Math.abs(slope[i]) }));
  });
  const panel = (field: 'value' | 'push', title: string): ChartPanel => ({
    title,
    width: 260,
    height: 190,
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'p', type: 'quantitative', title: 'probability given to the true class' },
      y: { field, type: 'quantitative', title: null },
      color: { field: 'loss', type: 'nominal', title: null },
    },
  });
  return {
    config: { legend: { orient: 'top' } },
    data: { values: points.filter((point) => point.value < 5) },
    hconcat: [panel('value', 'loss'), panel('push', '|∂loss/∂score|: how hard training pushes')],
  };
};
