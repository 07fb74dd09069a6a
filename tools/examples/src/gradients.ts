import { grad, key, matmul, normal, relu, sum, tensor, type Tensor } from '@axon/tensor';

const w = normal(key(0), [2, 3]); // same key, same values, every run
const x = tensor([[1, 2]]);
const f = (w: Tensor) => sum(relu(matmul(x, w)));
const dw = grad(f)(w); // same shape as w
console.log(JSON.stringify(dw.shape)); // not shown
