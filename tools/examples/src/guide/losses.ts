// Loss functions: one number that says how wrong the predictions are, which training
// makes smaller. Mean squared error for numbers; cross-entropy for classes, by hand and
// as axon's losses compute it.
import { log, mean, mul, neg, oneHot, square, sub, sum, tensor, type Tensor } from '@axon/tensor';
import { losses } from '@axon/nn';

const show = (t: Tensor): string =>
  JSON.stringify(t.toArray(), (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(4)) : v));

// Regression: the mean of the squared differences.
const targets = tensor([[1.5], [2], [-1]]);
const predicted = tensor([[1], [2.5], [-1]]);
console.log(
  `mean squared error: by hand ${show(mean(square(sub(predicted, targets))))}, losses ${show(losses.meanSquaredError().value(targets, predicted))}`,
);

// Classification: the probabilities a model gave three samples for three classes, and
// the true classes as integers (Keras's "sparse" labels).
const probabilities = tensor([
  [0.7, 0.2, 0.1], // class 0, and the model agrees
  [0.1, 0.3, 0.6], // class 2, likely
  [0.8, 0.15, 0.05], // class 1, but the model is sure it is 0
]);
const labels = tensor([0, 2, 1], { dtype: 'int32' });

// Cross-entropy is −log of the probability given to the true class: near 0 when the
// model is right and sure, large when it is sure and wrong. A one-hot row picks it out.
const oneHotTargets = oneHot(labels, 3); // [[1,0,0],[0,0,1],[0,1,0]]
const trueClass = sum(mul(oneHotTargets, probabilities), -1);
console.log(`probability of the true class ${show(trueClass)}, −log of it ${show(neg(log(trueClass)))}`);
console.log(`cross-entropy: by hand ${show(mean(neg(log(trueClass))))}`);
console.log(
  `  losses.sparseCategoricalCrossentropy (integer labels) ${show(losses.sparseCategoricalCrossentropy().value(labels, probabilities))}`,
);
console.log(
  `  losses.categoricalCrossentropy (one-hot targets)      ${show(losses.categoricalCrossentropy().value(oneHotTargets, probabilities))}`,
);
