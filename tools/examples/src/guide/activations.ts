// Activations: sigmoid squashes into (0, 1), ReLU keeps the positive part, softmax turns
// a vector of scores into probabilities. grad gives their slopes, which backpropagation
// multiplies together.
import { add, grad, relu, sigmoid, softmax, sum, tensor, type Tensor } from '@axon/tensor';

const show = (t: Tensor): string =>
  JSON.stringify(t.toArray(), (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(4)) : v));

const z = tensor([-2, -0.5, 0, 0.5, 2]);
console.log(`z          ${show(z)}`);
console.log(`sigmoid(z) ${show(sigmoid(z))}`);
console.log(`relu(z)    ${show(relu(z))}`);

// The slopes, element by element: the gradient of sum(f(z)) is f'(z).
console.log(`sigmoid'   ${show(grad((z: Tensor) => sum(sigmoid(z)))(z))}`); // at most 0.25, at 0
console.log(`relu'      ${show(grad((z: Tensor) => sum(relu(z)))(z))}`); // relu'(0) = 0 by convention

// Softmax over the last axis: positive, adds up to 1, keeps the order of the scores,
// and does not change when the same number is added to every score.
const scores = tensor([2, 1, 0.1]);
const p = softmax(scores);
console.log(`softmax(${show(scores)}) = ${show(p)}, sum ${show(sum(p))}`);
console.log(`softmax(${show(add(scores, 100))}) = ${show(softmax(add(scores, 100)))}`);
