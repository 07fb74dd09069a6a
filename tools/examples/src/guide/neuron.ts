// A neuron by hand: y = f(w·x + b) for one neuron, y = f(Wx + b) for a layer of them,
// and the same layer as axon's layers.dense, which takes a batch of samples as rows.
import { add, matmul, mul, sigmoid, sum, tensor, transpose, type Tensor } from '@axon/tensor';
import { layers } from '@axon/nn';

const show = (t: Tensor): string =>
  JSON.stringify(t.toArray(), (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(4)) : v));

// One neuron with three inputs: a weight per input, a bias, and an activation f (sigmoid).
const x = tensor([1, 2, 3]);
const w = tensor([0.5, -1, 2]);
const b = 0.1;
const z = add(sum(mul(w, x)), b); // the weighted sum: 0.5·1 − 1·2 + 2·3 + 0.1 = 4.6
console.log(`one neuron: z = ${show(z)}, y = sigmoid(z) = ${show(sigmoid(z))}`);

// A layer is several neurons reading the same inputs: W has one row per neuron.
const W = tensor([
  [0.5, -1, 2],
  [-0.3, 0.8, 0.1],
]); // [2 neurons, 3 inputs]
const bias = tensor([[0.1], [-0.2]]); // [2, 1]
const column = tensor([[1], [2], [3]]); // x as a column, [3, 1]
console.log(`a layer of two: y = f(Wx + b) = ${show(sigmoid(add(matmul(W, column), bias)))}`);

// axon, like Keras, stores a batch with one sample per row, so a layer computes
// f(xW + b) with W of shape [inputs, units]: the transpose of the W above.
const batch = tensor([
  [1, 2, 3],
  [0, 1, 0],
]); // two samples
const params = { kernel: transpose(W), bias: tensor([0.1, -0.2]) };
const byHand = sigmoid(add(matmul(batch, params.kernel), params.bias));
const dense = layers.dense(2, { activation: 'sigmoid' });
console.log(`by hand:      ${show(byHand)}`);
console.log(`layers.dense: ${show(dense.apply(params, batch))}`);
