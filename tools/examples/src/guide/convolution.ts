// A convolution by hand: a 3×3 edge filter slides over a 4×4 image of a vertical bar.
// Images are NHWC [batch, height, width, channels], kernels [height, width, in, out],
// as in TensorFlow and Keras. Every number below can be checked with pencil and paper.
import { layers } from '@axon/nn';
import { conv2d, grad, reshape, sum, tensor, type Tensor } from '@axon/tensor';

// Prints a [1, h, w, 1] image or a [h, w, 1, 1] kernel as rows of numbers.
const rows = (t: Tensor): string => {
  const [h, w] = t.shape[0] === 1 ? t.shape.slice(1, 3) : t.shape.slice(0, 2);
  return (reshape(t, [h, w]).toArray() as number[][])
    .map((row) => row.map((v) => String(v).padStart(3)).join(''))
    .join('\n');
};

const image = reshape(
  tensor([
    [0, 1, 1, 0],
    [0, 1, 1, 0],
    [0, 1, 1, 0],
    [0, 1, 1, 0],
  ]),
  [1, 4, 4, 1],
); // one grey image: a bar two pixels wide
const edges = reshape(
  tensor([
    [-1, 0, 1],
    [-1, 0, 1],
    [-1, 0, 1],
  ]),
  [3, 3, 1, 1],
); // one filter: the column on the right minus the column on the left

// Each output pixel is the sum of the 3×3 window under the filter, times the filter.
const valid = conv2d(image, edges); // only windows inside the image: 4 − 3 + 1 = 2
const same = conv2d(image, edges, { padding: 'same' }); // zeros around it keep 4×4
const strided = conv2d(image, edges, { strides: 2, padding: 'same' }); // every second window
console.log(`valid ${JSON.stringify(valid.shape)}: the bar's left edge +, its right edge −\n${rows(valid)}`);
console.log(`same ${JSON.stringify(same.shape)}: the border windows see zeros\n${rows(same)}`);
console.log(`strides 2, same ${JSON.stringify(strided.shape)}: the padding row goes at the bottom\n${rows(strided)}`);

// The filter's gradient: how the sum of the valid output changes with each of its nine
// weights. Each weight touches the 2×2 block of pixels it passes over, so its gradient
// is that block's sum.
const dEdges = grad((k: Tensor) => sum(conv2d(image, k)))(edges);
console.log(`∂ sum(valid) / ∂ filter:\n${rows(dEdges)}`);

// The same nine weights serve every position: a layer of 32 such filters on a grey
// 28×28 image has 3·3·1·32 + 32 = 320 params; a dense layer of 128 units on the same
// image, flattened to 784 inputs, has 784·128 + 128 = 100,480.
const conv = layers.summarize(layers.conv2d(32, 3, { activation: 'relu' }), [28, 28, 1]);
const dense = layers.summarize(layers.dense(128, { activation: 'relu' }), [784]);
const count = (n: number): string => n.toLocaleString('en-US');
console.log(
  `conv2d(32, 3) on 28×28×1: ${count(conv.totalParams)} params; dense(128) on 784: ${count(dense.totalParams)}`,
);
