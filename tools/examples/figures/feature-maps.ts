import { createWasmBackend } from '@axon/backend-wasm';
import { ndArrayToTensor, scaleToUnit, takeRows, type DatasetSplits } from '@axon/data';
import { attributionScale, heatMap, type RgbaImage } from '@axon/explain';
import { adam, fit, initTrainState, layers, losses } from '@axon/nn';
import { add, conv2d, key, relu, reshape, tensor, toBackend, jsBackend, type Tensor } from '@axon/tensor';
import type { TrainingSize } from './attributions.js';
import { grayToRgba, imageGridSvg, type Panel } from './render.js';

/** `image` with every pixel repeated `factor` times across and down. */
const enlarge = ({ width, height, data }: RgbaImage, factor: number): RgbaImage => {
  const out = new Uint8ClampedArray(width * height * factor * factor * 4);
  for (let y = 0; y < height * factor; y++)
    for (let x = 0; x < width * factor; x++) {
      const from = (Math.floor(y / factor) * width + Math.floor(x / factor)) * 4;
      out.set(data.subarray(from, from + 4), (y * width * factor + x) * 4);
    }
  return { width: width * factor, height: height * factor, data: out };
};

/** Channel `c` of an NHWC tensor's first image, or of an HWIO kernel's first input channel. */
const channel = (values: ArrayLike<number>, channels: number, c: number): number[] =>
  Array.from({ length: values.length / channels }, (_, i) => values[i * channels + c]);

/**
 * Chapter 10's figure: Keras's mnist_convnet trained as `guide/convnet.ts` trains it, for
 * one epoch; its first convolution's 32 filters (red for positive weights, blue for
 * negative, on one scale) and what each makes of the first test digit (the filter's
 * output after relu, on one scale too).
 */
export const featureMapsSvg = async (
  { train, test }: DatasetSplits<Uint8Array>,
  { samples, epochs }: TrainingSize,
): Promise<string> => {
  const images = (inputs: typeof train.inputs, rows: number[]): Tensor =>
    reshape(ndArrayToTensor(scaleToUnit(takeRows(inputs, rows))), [-1, 28, 28, 1]);
  const data = {
    x: images(
      train.inputs,
      Array.from({ length: samples }, (_, i) => i),
    ),
    y: tensor(train.labels.subarray(0, samples)),
  };
  const model = layers.sequential([
    layers.conv2d(32, 3, { activation: 'relu' }),
    layers.maxPooling2d(2),
    layers.conv2d(64, 3, { activation: 'relu' }),
    layers.maxPooling2d(2),
    layers.flatten(),
    layers.dropout(0.5),
    layers.dense(10, { activation: 'softmax' }),
  ]);
  const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
  const backend = await createWasmBackend();
  try {
    const { state } = await fit(plan, initTrainState(plan, key(0), [28, 28, 1], { backend }), data, {
      epochs,
      batchSize: 128,
    });
    const first = toBackend(state.params[0], jsBackend) as { readonly kernel: Tensor; readonly bias: Tensor };
    const digit = images(test.inputs, [0]);
    const maps = relu(add(conv2d(digit, first.kernel), first.bias)).values; // [1, 26, 26, 32]
    const weights = first.kernel.values; // [3, 3, 1, 32]
    const largestWeight = Math.max(...Array.from(weights, Math.abs));
    const bright = attributionScale(maps); // the 98th percentile of all 32 outputs draws white
    const panels = Array.from({ length: 32 }, (_, f): Panel[] => [
      {
        image: enlarge(
          heatMap({ width: 3, height: 3, pixels: new Float32Array(9) }, channel(weights, 32, f), {
            scale: largestWeight,
          }),
          9,
        ),
        caption: `filter ${f + 1}`,
      },
      {
        image: grayToRgba(
          26,
          26,
          channel(maps, 32, f).map((v) => v / bright),
        ),
        caption: 'its output',
      },
    ]);
    const rows = Array.from({ length: 8 }, (_, r) => panels.slice(r * 4, r * 4 + 4).flat());
    return imageGridSvg(
      [[{ image: grayToRgba(28, 28, digit.values), caption: `the input: a ${test.labels[0]}` }], ...rows],
      {
        scale: 3,
        title: 'The first convolution of mnist_convnet after one epoch: its 32 filters and their outputs',
      },
    );
  } finally {
    await backend.dispose();
  }
};
