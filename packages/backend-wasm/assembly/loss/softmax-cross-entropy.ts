/**
 * The fused softmax cross-entropy with integer labels and its gradient, over rows of
 * logits. Each row's log-sum-exp is shifted by the row's max, so no exponent overflows
 * and the loss never takes the log of a probability rounded to zero. Computed in double
 * precision as the reference backend does.
 */

/** log(Σ exp(row)) of one row of `cols` float32 logits. */
function rowLogSumExp(row: usize, cols: i32): f64 {
  let top = -Infinity;
  for (let j = 0; j < cols; j++) {
    const v = <f64>load<f32>(row + (<usize>j << 2));
    if (v > top) top = v;
  }
  if (top == -Infinity || top == Infinity) return top;
  let sum: f64 = 0;
  for (let j = 0; j < cols; j++) sum += Math.exp(<f64>load<f32>(row + (<usize>j << 2)) - top);
  return Math.log(sum) + top;
}

/** `out[r] = logSumExp(logits[r]) - logits[r, labels[r]]`. */
export function sparseSoftmaxCrossEntropy(rows: i32, cols: i32, logits: usize, labels: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = logits + (<usize>(r * cols) << 2);
    const label = load<i32>(labels + (<usize>r << 2));
    store<f32>(out + (<usize>r << 2), <f32>(rowLogSumExp(row, cols) - <f64>load<f32>(row + (<usize>label << 2))));
  }
}

/** `out[r] = dLoss[r] · (softmax(logits[r]) - onehot(labels[r]))`. */
export function sparseSoftmaxCrossEntropyGrad(
  rows: i32, cols: i32, logits: usize, labels: usize, dLoss: usize, out: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const offset = <usize>(r * cols) << 2;
    const row = logits + offset;
    const target = out + offset;
    const lse = rowLogSumExp(row, cols);
    const g = <f64>load<f32>(dLoss + (<usize>r << 2));
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(target + at, <f32>(g * Math.exp(<f64>load<f32>(row + at) - lse)));
    }
    // The label's term is subtracted from the stored float32 value, as the reference does.
    const at = target + (<usize>load<i32>(labels + (<usize>r << 2)) << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) - g));
  }
}
