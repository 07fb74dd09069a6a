import * as E from 'fp-ts/lib/Either.js';
import { layers, type AnyLayer, type Sequential, type StatefulSequential } from '@axon/nn';
import { conv2dGeometry, pool2dGeometry, type Shape } from '@axon/tensor';
import type { TrainingSettings } from '../training/settings.js';
import { layerSpecText, type LayerSpec } from './layer-spec.js';

/** A classifier `axon` trains or reads: layers one after another, with state when it has batch normalization. */
export type Classifier = Sequential | StatefulSequential;

/** One layer of a planned classifier, with the sizes the memory estimate needs. */
export interface PlannedLayer {
  readonly layer: AnyLayer;
  /** The shape of one output sample. */
  readonly outputShape: Shape;
  /** Values trained by gradients. */
  readonly params: number;
  /** Values of state, such as batch normalization's moving statistics. */
  readonly stateValues: number;
}

/** A classifier laid out for samples of one shape, before anything is allocated. */
export interface Architecture {
  /** What the model takes per sample: the data's shape, with a channel axis added for convolutions on grey images. */
  readonly inputShape: Shape;
  readonly layers: readonly PlannedLayer[];
}

const imageKinds: ReadonlySet<LayerSpec['kind']> = new Set(['conv', 'maxpool', 'avgpool', 'globalavgpool']);

/** Whether a stack has layers that take images (so its input needs a channel axis). */
export const takesImages = (specs: readonly LayerSpec[]): boolean => specs.some((spec) => imageKinds.has(spec.kind));

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
const showShape = (shape: Shape): string => `[${shape.join(',')}]`;

/** The geometry functions throw a TensorError naming the op; its message, without the op's own prefix. */
const geometryMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

type Step = E.Either<string, PlannedLayer>;

/** A layer's output shape and sizes from its input shape, or why it does not fit. */
function planLayer(spec: LayerSpec, shape: Shape, activation: TrainingSettings['activation']): Step {
  const planned = (layer: AnyLayer, outputShape: Shape, params = 0, stateValues = 0): Step =>
    E.right({ layer, outputShape, params, stateValues });
  const needsImages = (): E.Either<string, never> =>
    E.left(`needs images ([height, width, channels] per sample), but gets samples of shape ${showShape(shape)}`);
  switch (spec.kind) {
    case 'dense': {
      const inputs = shape[shape.length - 1];
      return planned(
        layers.dense(spec.units, { activation: spec.activation ?? activation }),
        [spec.units],
        inputs * spec.units + spec.units,
      );
    }
    case 'conv': {
      if (shape.length !== 3) return needsImages();
      const options = { strides: spec.strides, padding: spec.padding, dilation: spec.dilation };
      const channels = shape[2];
      return E.tryCatch(() => {
        const g = conv2dGeometry([1, ...shape], [...spec.size, channels, spec.filters], options);
        const layer = layers.conv2d(spec.filters, spec.size, { ...options, activation: spec.activation ?? activation });
        return {
          layer,
          outputShape: [g.outHeight, g.outWidth, spec.filters],
          params: spec.size[0] * spec.size[1] * channels * spec.filters + spec.filters,
          stateValues: 0,
        };
      }, geometryMessage);
    }
    case 'maxpool':
    case 'avgpool': {
      if (shape.length !== 3) return needsImages();
      const options = { strides: spec.strides, padding: spec.padding };
      const op = spec.kind === 'maxpool' ? 'maxPool2d' : 'avgPool2d';
      return E.tryCatch(() => {
        const g = pool2dGeometry(op, [1, ...shape], spec.size, options);
        const layer =
          spec.kind === 'maxpool'
            ? layers.maxPooling2d(spec.size, options)
            : layers.averagePooling2d(spec.size, options);
        return { layer, outputShape: [g.outHeight, g.outWidth, shape[2]], params: 0, stateValues: 0 };
      }, geometryMessage);
    }
    case 'globalavgpool':
      return shape.length === 3 ? planned(layers.globalAveragePooling2d(), [shape[2]]) : needsImages();
    case 'batchnorm': {
      const features = shape[shape.length - 1];
      return planned(
        layers.batchNormalization({ momentum: spec.momentum, epsilon: spec.epsilon }),
        shape,
        2 * features,
        2 * features,
      );
    }
    case 'flatten':
      return planned(layers.flatten(), [product(shape)]);
    case 'dropout':
      return planned(layers.dropout(spec.rate), shape);
  }
}

/**
 * Lays out the classifier `axon train` builds for samples of `sampleShape`: the hidden
 * layers `--layers` lists (a dense one with `--activation` where none is given, each
 * hidden dense layer followed by `--dropout`'s dropout when set), then a softmax over the
 * classes. A stack of dense layers flattens each sample first (the tutorial's
 * flatten → dense(128, relu) → dense(128, relu) → dense(10, softmax)); a stack with
 * convolutions or pooling takes images, grey `[height, width]` samples getting a channel
 * axis as Keras's `mnist_convnet` adds one, and flattens where a dense layer first
 * follows images. Left is one line naming the layer that does not fit and why.
 *
 * @example
 * planClassifier({ layers: builtInModels.cnn, activation: 'relu', dropout: 0 }, [28, 28], 10);
 * // right({ inputShape: [28, 28, 1], layers: [conv2d(32, 3x3, relu) [26,26,32], …, dense(10, softmax) [10]] })
 */
export function planClassifier(
  settings: Pick<TrainingSettings, 'layers' | 'activation' | 'dropout'>,
  sampleShape: Shape,
  classes: number,
): E.Either<string, Architecture> {
  const images = takesImages(settings.layers);
  if (images && sampleShape.length !== 2 && sampleShape.length !== 3) {
    return E.left(
      `--layers ${settings.layers.map(layerSpecText).find((_, i) => imageKinds.has(settings.layers[i].kind))}: convolutions and pooling need images ([height, width] or [height, width, channels] per sample), but the samples have shape ${showShape(sampleShape)}`,
    );
  }
  const inputShape = images && sampleShape.length === 2 ? [...sampleShape, 1] : sampleShape;
  const planned: PlannedLayer[] = [];
  let shape: Shape = inputShape;
  const push = (layer: PlannedLayer): void => {
    planned.push(layer);
    shape = layer.outputShape;
  };
  const flatten = (): PlannedLayer => ({
    layer: layers.flatten(),
    outputShape: [product(shape)],
    params: 0,
    stateValues: 0,
  });
  if (!images) push(flatten());
  for (const [i, spec] of settings.layers.entries()) {
    if (spec.kind === 'dense' && shape.length > 1) push(flatten());
    const step = planLayer(spec, shape, settings.activation);
    if (E.isLeft(step)) return E.left(`--layers ${layerSpecText(spec)} (layer ${i + 1}): ${step.left}`);
    push(step.right);
    if (spec.kind === 'dense' && settings.dropout > 0)
      push({ layer: layers.dropout(settings.dropout), outputShape: shape, params: 0, stateValues: 0 });
  }
  if (shape.length > 1) push(flatten());
  const inputs = shape[0];
  push({
    layer: layers.dense(classes, { activation: 'softmax' }),
    outputShape: [classes],
    params: inputs * classes + classes,
    stateValues: 0,
  });
  return E.right({ inputShape, layers: planned });
}

/**
 * The model an {@link Architecture} describes.
 *
 * @example
 * classifierOf(architecture).config.layers.length; // 4 for the tutorial's
 */
export const classifierOf = (architecture: Architecture): Classifier =>
  layers.sequential(architecture.layers.map((planned) => planned.layer));
