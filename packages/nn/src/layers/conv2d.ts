import {
  add,
  conv2d as conv2dOp,
  conv2dGeometry,
  fusedConv2d,
  fusedConv2dMaxPool,
  maxPool2d,
  split,
  type Padding,
  type Pair,
  type Tensor,
} from '@axon/tensor';
import { activate, foldableActivation, type ActivationName } from '../activations/activations.js';
import { glorotUniform, zeros, type Initializer } from '../initializers/initializers.js';
import type { Conv2DConfig, MaxPooling2DConfig } from './config.js';
import { checkLayer, type AnyLayer, type Layer, type SplitOutput } from './layer.js';
import { pairOf, sampleGeometry } from './window.js';

/** A convolution layer's parameters in Keras layout: `kernel` `[kh, kw, in, filters]`, `bias` `[filters]`. */
export type Conv2DParams = { readonly kernel: Tensor } | { readonly kernel: Tensor; readonly bias: Tensor };

/** Options of {@link conv2d}; each has the Keras default. */
export interface Conv2DLayerOptions {
  /** 1 unless stated. */
  readonly strides?: Pair;
  /** `'valid'` unless stated. */
  readonly padding?: Padding;
  /** 1 unless stated (Keras's `dilation_rate`). */
  readonly dilation?: Pair;
  /** `linear` unless stated. */
  readonly activation?: ActivationName;
  /** True unless stated. */
  readonly useBias?: boolean;
  /** Glorot uniform unless stated (fans count the kernel's taps, as Keras's do). */
  readonly kernelInitializer?: Initializer;
  /** Zeros unless stated. */
  readonly biasInitializer?: Initializer;
}

/**
 * A convolution layer, which can also run with a max pooling of its output fused in.
 */
export interface Conv2DLayer extends Layer<Conv2DParams, Conv2DConfig> {
  /**
   * `apply`, then the max pooling `pool` describes, bit for bit the two layers one after
   * the other; one op (`fusedConv2dMaxPool`) where the activation is linear or relu, so
   * that a backend with the kernel keeps the convolution's output in its caches.
   * `sequential` runs a convolution followed by a max pooling this way.
   */
  applyMaxPooled(params: Conv2DParams, x: Tensor, pool: MaxPooling2DConfig): Tensor;
}

/**
 * Whether `layer` is a convolution layer (and so has {@link Conv2DLayer.applyMaxPooled}).
 *
 * @example
 * ```ts
 * isConv2DLayer(layers.conv2d(8, 3)); // true
 * ```
 */
export const isConv2DLayer = (layer: AnyLayer): layer is Conv2DLayer =>
  layer.config.kind === 'conv2d' && 'applyMaxPooled' in layer;

/**
 * A 2-D convolution layer over NHWC images (Keras's `Conv2D`):
 * `activation(conv2d(x, kernel) + bias)`, `filters` output channels, a kernel of
 * `kernelSize`. Samples are `[height, width, channels]`. A final softmax or sigmoid is
 * left to the loss when it can compute from the logits.
 *
 * @example
 * ```ts
 * const layer = layers.conv2d(32, 3, { activation: 'relu' });
 * layer.init(key(0), [28, 28, 1]).outputShape; // [26, 26, 32]; kernel [3,3,1,32], bias [32]
 * ```
 */
export const conv2d = (filters: number, kernelSize: Pair, options: Conv2DLayerOptions = {}): Conv2DLayer => {
  const activation = options.activation ?? 'linear';
  const kernelInitializer = options.kernelInitializer ?? glorotUniform();
  const biasInitializer = options.biasInitializer ?? zeros();
  const config: Conv2DConfig = {
    kind: 'conv2d',
    filters,
    kernelSize: pairOf(kernelSize),
    strides: pairOf(options.strides ?? 1),
    padding: options.padding ?? 'valid',
    dilation: pairOf(options.dilation ?? 1),
    activation,
    useBias: options.useBias ?? true,
    kernelInitializer: kernelInitializer.config,
    biasInitializer: biasInitializer.config,
  };
  checkLayer(
    Number.isInteger(filters) && filters > 0,
    config,
    () => `filters must be a positive integer, got ${filters}`,
  );
  const opOptions = { strides: config.strides, padding: config.padding, dilation: config.dilation };

  /** Checks that `x` suits the params: images of their channels and dtype. */
  const checkInputs = (params: Conv2DParams, x: Tensor): void => {
    const channels = params.kernel.shape[2];
    checkLayer(
      x.rank === 4 && x.shape[3] === channels,
      config,
      () => `expects images [batch,height,width,${channels}], got [${x.shape.join(',')}]`,
    );
    checkLayer(
      x.dtype === params.kernel.dtype,
      config,
      () =>
        `expects ${params.kernel.dtype} inputs like its params, got ${x.dtype} (cast the inputs, or init the params with that dtype)`,
    );
  };

  const biasOf = (params: Conv2DParams): Tensor | undefined => ('bias' in params ? params.bias : undefined);

  /** `applied(conv2d(x, kernel) + bias)`, the bias and a relu in the convolution's kernel where the backend fuses them. */
  const forward = (params: Conv2DParams, x: Tensor, applied: ActivationName): Tensor => {
    checkInputs(params, x);
    const bias = biasOf(params);
    if (applied === 'linear' || applied === 'relu') return fusedConv2d(x, params.kernel, bias, applied, opOptions);
    const convolved = conv2dOp(x, params.kernel, opOptions);
    return activate(applied, bias === undefined ? convolved : add(convolved, bias));
  };

  return {
    config,
    init: (key, inputShape, initOptions) => {
      const channels = inputShape[2];
      const kernelShape = [...config.kernelSize, channels, filters];
      const g = sampleGeometry(config, inputShape, (xShape) => conv2dGeometry(xShape, kernelShape, opOptions));
      const [kernelKey, biasKey] = split(key);
      const kernel = kernelInitializer.sample(kernelKey, kernelShape, initOptions);
      const params: Conv2DParams = config.useBias
        ? { kernel, bias: biasInitializer.sample(biasKey, [filters], initOptions) }
        : { kernel };
      return { params, outputShape: [g.outHeight, g.outWidth, filters] };
    },
    apply: (params, x) => forward(params, x, activation),
    applyMaxPooled: (params, x, pool) => {
      const poolOptions = { poolSize: pool.poolSize, strides: pool.strides, padding: pool.padding };
      if (activation !== 'linear' && activation !== 'relu')
        return maxPool2d(forward(params, x, activation), pool.poolSize, poolOptions);
      checkInputs(params, x);
      return fusedConv2dMaxPool(x, params.kernel, biasOf(params), activation, opOptions, poolOptions);
    },
    applySplit: (params, x): SplitOutput => {
      const folded = foldableActivation(activation);
      return folded === undefined
        ? { preActivation: forward(params, x, activation), activation: 'none' }
        : { preActivation: forward(params, x, 'linear'), activation: folded };
    },
  };
};
