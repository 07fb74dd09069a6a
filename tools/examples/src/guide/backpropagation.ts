// Backpropagation by hand: the chain rule applied layer by layer, from the loss back to
// every weight of a two-layer network (sigmoid, then softmax with cross-entropy), checked
// against grad. Float64, so the two agree to the last few bits.
import {
  abs,
  add,
  div,
  grad,
  key,
  log,
  matmul,
  max,
  mean,
  mul,
  neg,
  normal,
  oneHot,
  sigmoid,
  softmax,
  sub,
  sum,
  tensor,
  transpose,
  treeZipWith,
  zeros,
} from '@axon/tensor';

const f64 = { dtype: 'float64' } as const;
const x = normal(key(1), [4, 3], f64); // 4 samples, 3 inputs
const y = oneHot(tensor([0, 2, 1, 2], { dtype: 'int32' }), 3, 'float64'); // their classes, one-hot
const params = {
  W1: normal(key(2), [3, 5], f64),
  b1: zeros([5], f64),
  W2: normal(key(3), [5, 3], f64),
  b2: zeros([3], f64),
};
type Params = typeof params;

// The forward pass, keeping the hidden layer's output h for the backward pass.
const forward = (p: Params) => {
  const h = sigmoid(add(matmul(x, p.W1), p.b1)); // [4, 5]
  const q = softmax(add(matmul(h, p.W2), p.b2)); // [4, 3]
  const loss = mean(neg(sum(mul(y, log(q)), -1))); // cross-entropy, averaged over the samples
  return { h, q, loss };
};

// The backward pass: each line is one step of the chain rule, ∂L/∂(input) from ∂L/∂(output).
const { h, q, loss } = forward(params);
const dz2 = div(sub(q, y), x.shape[0]); // softmax and cross-entropy together: ∂L/∂z2 = (q − y) / n
const dW2 = matmul(transpose(h), dz2); // z2 = h·W2 + b2, so ∂L/∂W2 = hᵀ·∂L/∂z2
const db2 = sum(dz2, 0); // and ∂L/∂b2 sums over the samples the bias was added to
const dh = matmul(dz2, transpose(params.W2)); // ∂L/∂h = ∂L/∂z2·W2ᵀ
const dz1 = mul(dh, mul(h, sub(1, h))); // h = σ(z1) and σ' = σ(1 − σ): ∂L/∂z1 = ∂L/∂h ⊙ h(1 − h)
const dW1 = matmul(transpose(x), dz1);
const db1 = sum(dz1, 0);
const byHand: Params = { W1: dW1, b1: db1, W2: dW2, b2: db2 };

// Reverse-mode autodiff records the forward pass and runs the same steps for us.
const auto = grad((p: Params) => forward(p).loss)(params);
for (const name of ['W1', 'b1', 'W2', 'b2'] as const) {
  console.log(
    `${name} ${JSON.stringify(byHand[name].shape)}: largest |by hand − grad| = ${max(abs(sub(byHand[name], auto[name])))
      .item()
      .toExponential(1)}`,
  );
}

// One step of gradient descent, p ← p − 0.5·∂L/∂p, lowers the loss.
const stepped = treeZipWith((p, g) => sub(p, mul(g, 0.5)), params, auto);
console.log(`loss ${loss.item().toFixed(4)} → ${forward(stepped).loss.item().toFixed(4)} after one step`);
