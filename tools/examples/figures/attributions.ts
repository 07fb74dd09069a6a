import { createWasmBackend } from '@axon/backend-wasm';
import { ndArrayToTensor, scaleToUnit, takeRows, type DatasetSplits } from '@axon/data';
import { heatMap, integratedGradients, modelScores, saliency, smoothGrad, type Attribution } from '@axon/explain';
import { adam, fit, initTrainState, layers, losses } from '@axon/nn';
import { key, tensor } from '@axon/tensor';
import { grayToRgba, imageGridSvg, type Panel } from './render.js';

/** How much of MNIST the explained model trains on. */
export interface TrainingSize {
  readonly samples: number;
  readonly epochs: number;
}

/**
 * Chapter 8's figure: the tutorial's network trained as `guide/explain.ts` trains it,
 * and for each of the first four test digits its gradient saliency, SmoothGrad and
 * Integrated Gradients drawn over the digit (red for, blue against the predicted class).
 */
export const attributionsSvg = async (
  { train, test }: DatasetSplits<Uint8Array>,
  { samples, epochs }: TrainingSize,
): Promise<string> => {
  const first = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const data = {
    x: ndArrayToTensor(scaleToUnit(takeRows(train.inputs, first(samples)))),
    y: tensor(train.labels.subarray(0, samples)),
  };
  const model = layers.sequential([
    layers.flatten(),
    layers.dense(128, { activation: 'relu' }),
    layers.dense(128, { activation: 'relu' }),
    layers.dense(10, { activation: 'softmax' }),
  ]);
  const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
  const backend = await createWasmBackend();
  try {
    const { state } = await fit(plan, initTrainState(plan, key(0), [28, 28], { backend }), data, {
      epochs,
      batchSize: 128,
    });
    const f = modelScores(model, state.params);
    const images = ndArrayToTensor(scaleToUnit(takeRows(test.inputs, first(4))));
    const methods: readonly (readonly [string, Attribution])[] = [
      ['saliency', saliency(f, images)],
      ['SmoothGrad', smoothGrad(f, images, { key: key(1), samples: 50 })],
      ['Integrated Gradients', integratedGradients(f, images, { steps: 64 })],
    ];
    const rows = Array.from({ length: 4 }, (_, i): Panel[] => {
      const pixels = images.values.subarray(i * 784, (i + 1) * 784);
      const predicted = methods[0][1].classes[i];
      return [
        { image: grayToRgba(28, 28, pixels), caption: `a ${test.labels[i]}, read as ${predicted}` },
        ...methods.map(([name, { attributions }]) => ({
          image: heatMap({ width: 28, height: 28, pixels }, attributions.values.subarray(i * 784, (i + 1) * 784)),
          caption: name,
        })),
      ];
    });
    return imageGridSvg(rows, {
      scale: 5,
      title: 'What the prediction rests on: red for the predicted class, blue against it',
    });
  } finally {
    await backend.dispose();
  }
};
