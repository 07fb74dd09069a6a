// Pooling and batch normalization on a 4×4 image: max pooling keeps each 2×2 window's
// largest value and sends its gradient there; average pooling shares it out. Batch
// normalization learns nothing from this batch by gradients, but its state moves.
import { layers } from '@axon/nn';
import { avgPool2d, grad, key, maxPool2d, mean, reshape, square, sub, sum, tensor, type Tensor } from '@axon/tensor';

const round = (v: number): number => Number(v.toFixed(4)); // also turns −0 into 0
const rows = (t: Tensor): string => {
  const [h, w] = t.shape.slice(1, 3);
  return (reshape(t, [h, w]).toArray() as number[][])
    .map((row) => row.map((v) => String(round(v)).padStart(5)).join(''))
    .join('\n');
};

const image = reshape(
  tensor([
    [1, 3, 2, 2],
    [4, 2, 0, 1],
    [0, 5, 7, 7],
    [6, 1, 7, 0],
  ]),
  [1, 4, 4, 1],
); // four 2×2 windows; two of them hold a tie for the largest value
console.log(`max pooling, 2×2:\n${rows(maxPool2d(image, 2))}`);
console.log(`average pooling, 2×2:\n${rows(avgPool2d(image, 2))}`);
// Each window's gradient goes to its first largest value, reading row by row.
console.log(`∂ sum(max pooling) / ∂ image:\n${rows(grad((x: Tensor) => sum(maxPool2d(x, 2)))(image))}`);
console.log(`∂ sum(average pooling) / ∂ image:\n${rows(grad((x: Tensor) => sum(avgPool2d(x, 2)))(image))}`);

// Batch normalization over the one channel: params gamma and beta (trained by
// gradients), state movingMean and movingVariance (moved by each training batch).
const norm = layers.batchNormalization(); // Keras's momentum 0.99, epsilon 0.001
const { params, state } = norm.init(key(0), [4, 4, 1]);
const trained = norm.apply(params, image, { training: true }, state);
const spread = (t: Tensor): string =>
  `mean ${round(mean(t).item())}, variance ${round(mean(square(sub(t, mean(t)))).item())}`;
console.log(`image: ${spread(image)}`);
console.log(`training: normalized by the batch's own statistics: ${spread(trained.y)}`);
console.log(
  `  state: movingMean ${round(state.movingMean.item())} → ${round(trained.state.movingMean.item())}, movingVariance ${round(state.movingVariance.item())} → ${round(trained.state.movingVariance.item())}`,
);
const inferred = norm.apply(params, image, layers.inference, trained.state);
console.log(`inference: normalized by the moving statistics: ${spread(inferred.y)}`);
console.log(`  state unchanged: ${inferred.state === trained.state}`);
