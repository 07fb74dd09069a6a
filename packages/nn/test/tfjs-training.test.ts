// Training against TensorFlow.js: the same model from the same weights, trained on the
// same batches by both, gives the same losses and weights step for step. Gradient checks
// prove each op's derivative; this proves that layers, flattening order, the loss and
// Adam compose into the training Keras users expect.
import * as tf from '@tensorflow/tfjs';
import { key, sizeOf, tensor, treeLeaves, type Tensor } from '@axon/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { adam, fit, initTrainState, layers, losses, type AnyLayer } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** TensorFlow.js's Adam: ε added to the bias-corrected √v, ε being its float32 epsilon. */
const learningRate = 0.01;
const tfjsEpsilon = 1e-7;

interface Problem {
  /** Each sample's shape: `[h, w, c]` for the convnet, `[features]` for the MLP. */
  readonly sampleShape: number[];
  readonly classes: number;
  readonly batch: number;
  readonly steps: number;
  readonly seed: number;
}

/** The same stack in both frameworks. */
interface Stack {
  readonly axon: AnyLayer[];
  readonly tfjs: (inputShape: number[]) => tf.layers.Layer[];
}

const convnet = (filters: [number, number], padding: 'valid' | 'same', classes: number): Stack => ({
  axon: [
    layers.conv2d(filters[0], 3, { activation: 'relu', padding }),
    layers.maxPooling2d(2),
    layers.conv2d(filters[1], 3, { activation: 'relu' }),
    layers.flatten(),
    layers.dense(classes, { activation: 'softmax' }),
  ],
  tfjs: (inputShape) => [
    tf.layers.conv2d({ inputShape, filters: filters[0], kernelSize: 3, activation: 'relu', padding }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: filters[1], kernelSize: 3, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: classes, activation: 'softmax' }),
  ],
});

const mlp = (hidden: number, classes: number): Stack => ({
  axon: [
    layers.dense(hidden, { activation: 'relu' }),
    layers.dense(hidden, { activation: 'relu' }),
    layers.dense(classes, { activation: 'softmax' }),
  ],
  tfjs: (inputShape) => [
    tf.layers.dense({ inputShape, units: hidden, activation: 'relu' }),
    tf.layers.dense({ units: hidden, activation: 'relu' }),
    tf.layers.dense({ units: classes, activation: 'softmax' }),
  ],
});

/** Inputs in [0, 1) and labels, drawn from a seed (the same values on both sides). */
interface Samples {
  readonly x: Float32Array;
  readonly y: Int32Array;
}

const dataOf = ({ sampleShape, classes, batch, steps, seed }: Problem): Samples => {
  const n = batch * steps;
  const perSample = sizeOf(sampleShape);
  const random = fc.sample(fc.float({ min: 0, max: Math.fround(0.999), noNaN: true }), {
    seed,
    numRuns: n * perSample,
  });
  const labels = fc.sample(fc.integer({ min: 0, max: classes - 1 }), { seed: seed + 1, numRuns: n });
  return { x: Float32Array.from(random), y: Int32Array.from(labels) };
};

interface Trained {
  readonly losses: number[];
  readonly weights: Float32Array[];
}

/** axon: `fit` for one epoch without shuffling, so batch `i` is samples `[i·batch, (i+1)·batch)`. */
const trainAxon = async (
  stack: Stack,
  problem: Problem,
  { x, y }: Samples,
): Promise<Trained & { initial: Tensor[] }> => {
  const model = layers.sequential(stack.axon);
  const plan = {
    model,
    loss: losses.sparseCategoricalCrossentropy(),
    optimizer: adam(learningRate, { epsilonPlacement: 'pytorch', epsilon: tfjsEpsilon }),
  };
  const state = initTrainState(plan, key(problem.seed), problem.sampleShape);
  const seen: number[] = [];
  const data = {
    x: tensor(x, { shape: [x.length / sizeOf(problem.sampleShape), ...problem.sampleShape] }),
    y: tensor(y),
  };
  const result = await fit(plan, state, data, {
    epochs: 1,
    batchSize: problem.batch,
    shuffle: false,
    callbacks: [{ onBatchEnd: (event) => void seen.push(event.loss) }],
  });
  if (result.error !== undefined) throw result.error;
  return {
    initial: treeLeaves(state.params),
    losses: seen,
    weights: treeLeaves(result.state.params).map((t) => Float32Array.from(t.values)),
  };
};

/** TensorFlow.js: the same stack, given axon's initial weights, trained batch by batch with `trainOnBatch`. */
const trainTfjs = async (stack: Stack, problem: Problem, { x, y }: Samples, initial: Tensor[]): Promise<Trained> => {
  const model = tf.sequential({ layers: stack.tfjs(problem.sampleShape) });
  model.setWeights(initial.map((t) => tf.tensor(Float32Array.from(t.values), [...t.shape])));
  model.compile({
    optimizer: tf.train.adam(learningRate, 0.9, 0.999, tfjsEpsilon),
    loss: 'sparseCategoricalCrossentropy',
  });
  const perSample = sizeOf(problem.sampleShape);
  const seen: number[] = [];
  for (let step = 0; step < problem.steps; step++) {
    const rows = [step * problem.batch, (step + 1) * problem.batch];
    const xb = tf.tensor(x.subarray(rows[0] * perSample, rows[1] * perSample), [problem.batch, ...problem.sampleShape]);
    const yb = tf.tensor(Float32Array.from(y.subarray(rows[0], rows[1])), [problem.batch, 1]);
    seen.push((await model.trainOnBatch(xb, yb)) as number);
    tf.dispose([xb, yb]);
  }
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return { losses: seen, weights };
};

/**
 * Both frameworks compute in float32 with differently ordered sums, so they agree to
 * float32 rounding grown over a few steps: measured, losses within 1e-6 relative and
 * weights within 6e-7. Adam moves each weight by about the learning rate whatever the
 * gradient's size, so a tiny gradient rounded differently on each side can move a
 * weight differently; the margins leave room for that. Keras's ε placement instead of
 * TensorFlow.js's already moves weights by 7e-3.
 */
const lossTolerance = 1e-5;
const weightTolerance = learningRate / 500;

const expectSameTraining = (axon: Trained, tfjs: Trained): void => {
  axon.losses.forEach((loss, i) =>
    expect(Math.abs(loss - tfjs.losses[i]), `step ${i + 1}: ${loss} vs ${tfjs.losses[i]}`).toBeLessThanOrEqual(
      lossTolerance * Math.max(1, Math.abs(tfjs.losses[i])),
    ),
  );
  axon.weights.forEach((w, i) => {
    const worst = w.reduce((m, v, j) => Math.max(m, Math.abs(v - tfjs.weights[i][j])), 0);
    expect(worst, `weights ${i}`).toBeLessThanOrEqual(weightTolerance);
  });
};

/** Trains `stack` on `problem` in both frameworks, from axon's initial weights, and compares. */
const expectTrainsLikeTfjs = async (stack: Stack, problem: Problem): Promise<void> => {
  const samples = dataOf(problem);
  const axon = await trainAxon(stack, problem, samples);
  expectSameTraining(axon, await trainTfjs(stack, problem, samples, axon.initial));
};

describe('training matches TensorFlow.js', () => {
  it('for a small convnet (conv, max pooling, conv, flatten, dense), over random shapes and data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          size: fc.integer({ min: 8, max: 12 }),
          channels: fc.integer({ min: 1, max: 3 }),
          filters: fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 6 })),
          padding: fc.constantFrom('valid' as const, 'same' as const),
          classes: fc.integer({ min: 2, max: 5 }),
          batch: fc.integer({ min: 2, max: 8 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        async ({ size, channels, filters, padding, classes, batch, seed }) => {
          const problem = { sampleShape: [size, size, channels], classes, batch, steps: 4, seed };
          await expectTrainsLikeTfjs(convnet(filters, padding, classes), problem);
        },
      ),
      { numRuns: 8 },
    );
  });

  it("for the tutorial's MLP shape, over random sizes and data", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          features: fc.integer({ min: 2, max: 40 }),
          hidden: fc.integer({ min: 2, max: 24 }),
          classes: fc.integer({ min: 2, max: 10 }),
          batch: fc.integer({ min: 2, max: 16 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        async ({ features, hidden, classes, batch, seed }) => {
          const problem = { sampleShape: [features], classes, batch, steps: 6, seed };
          await expectTrainsLikeTfjs(mlp(hidden, classes), problem);
        },
      ),
      { numRuns: 10 },
    );
  });
});
