import * as E from 'fp-ts/lib/Either.js';
import { loadModel, renderModelFileError, type ModelBytes, type SavedModel } from '@axon/io';
import { layers, predict, type AnyLayer } from '@axon/nn';
import { tensor, type TensorTree } from '@axon/tensor';

/** How a model expects its pixels: divided by `scale`'s inverse, or standardized. */
export type PixelNormalization =
  | { readonly kind: 'scale'; readonly scale: number }
  | { readonly kind: 'standardize'; readonly mean: number; readonly std: number };

/** A model the page can draw for: rebuilt layers, params on the reference backend, and how to feed it. */
export interface PageModel {
  readonly model: AnyLayer<TensorTree>;
  readonly params: TensorTree;
  readonly state: TensorTree | undefined;
  readonly inputShape: readonly number[];
  readonly classNames: readonly string[];
  readonly normalization: PixelNormalization;
  /** Where it came from, for the page: a URL, a folder name, or 'trained in this page'. */
  readonly origin: string;
}

/** The tutorial's normalization: pixels divided by 255. */
const tutorialNormalization: PixelNormalization = { kind: 'scale', scale: 1 / 255 };

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The normalization and class names `axon train` records under `userDefinedMetadata.axon`
 * (`axon evaluate` and `predict` read the same fields), or the tutorial's defaults for a
 * model another tool wrote.
 */
export const readAxonMetadata = (
  metadata: SavedModel['metadata'],
  outputs: number,
): { normalization: PixelNormalization; classNames: readonly string[] } => {
  const axon = (
    metadata as { readonly axon?: { readonly normalization?: unknown; readonly classNames?: unknown } } | null
  )?.axon;
  const n = axon?.normalization as { kind?: unknown; scale?: unknown; mean?: unknown; std?: unknown } | undefined;
  const normalization: PixelNormalization =
    n?.kind === 'scale' && isFiniteNumber(n.scale)
      ? { kind: 'scale', scale: n.scale }
      : n?.kind === 'standardize' && isFiniteNumber(n.mean) && isFiniteNumber(n.std) && n.std > 0
        ? { kind: 'standardize', mean: n.mean, std: n.std }
        : tutorialNormalization;
  const names = axon?.classNames;
  const classNames =
    Array.isArray(names) && names.length === outputs && names.every((c) => typeof c === 'string')
      ? (names as string[])
      : Array.from({ length: outputs }, (_, i) => String(i));
  return { normalization, classNames };
};

/** The layers and params of a loaded model file, ready to draw for; left when it cannot read a 28×28 digit. */
export const pageModelOf = (saved: SavedModel, origin: string): E.Either<string, PageModel> => {
  const size = saved.inputShape.reduce((a, b) => a * b, 1);
  if (size !== 784)
    return E.left(`${origin}: the model reads inputs of shape [${saved.inputShape.join(', ')}], not a 28×28 digit`);
  const model = layers.fromConfig(saved.config) as AnyLayer<TensorTree>;
  const params = saved.params as TensorTree;
  const state = saved.state as TensorTree | undefined;
  const probe = predict(
    model,
    params,
    tensor(new Float32Array(784), { shape: [1, ...saved.inputShape] }),
    state === undefined ? {} : { state },
  );
  const outputs = probe.shape.at(-1) ?? 0;
  return E.right({
    model,
    params,
    state,
    inputShape: saved.inputShape,
    origin,
    ...readAxonMetadata(saved.metadata, outputs),
  });
};

/**
 * Loads a model file (TensorFlow.js layers format, as `axon train` writes it) from a URL
 * or from bytes the user picked. Left is one line for the page.
 *
 * @example
 * ```ts
 * const loaded = await loadPageModel(new URL('model/model.json', location.href).href, 'the default model');
 * ```
 */
export const loadPageModel = async (
  source: string | ModelBytes,
  origin: string,
): Promise<E.Either<string, PageModel>> => {
  const loaded = await loadModel(source)();
  return E.isLeft(loaded) ? E.left(renderModelFileError(loaded.left)) : pageModelOf(loaded.right, origin);
};

/** The model's input for a prepared digit (784 values in [0, 1], as `@axon/digit-image` gives them). */
const modelInput = (pixels: Float32Array, normalization: PixelNormalization): Float32Array =>
  normalization.kind === 'scale'
    ? pixels.map((v) => v * 255 * normalization.scale)
    : pixels.map((v) => (v * 255 - normalization.mean) / normalization.std);

/**
 * The class probabilities for one prepared digit, on the reference backend (one small
 * forward pass is quicker there than a round trip to a worker).
 *
 * @example
 * ```ts
 * classify(pageModel, mnistInput); // Float32Array(10) summing to 1
 * ```
 */
export const classify = (page: PageModel, pixels: Float32Array): Float32Array => {
  const x = tensor(modelInput(pixels, page.normalization), { shape: [1, ...page.inputShape] });
  const y = Float32Array.from(
    predict(page.model, page.params, x, page.state === undefined ? {} : { state: page.state }).values,
  );
  return isDistribution(y) ? y : softmax(y);
};

const isDistribution = (y: Float32Array): boolean =>
  y.every((v) => v >= 0) && Math.abs(y.reduce((a, b) => a + b, 0) - 1) < 1e-3;

/** For a model that ends in logits rather than softmax. */
const softmax = (logits: Float32Array): Float32Array => {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
};
