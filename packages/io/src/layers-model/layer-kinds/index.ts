import type { LayerConfig } from '@axon/nn';
import { activationKind } from './activation.js';
import { batchNormalizationKind } from './batch-normalization.js';
import { conv2dKind } from './conv2d.js';
import { denseKind } from './dense.js';
import { dropoutKind } from './dropout.js';
import { flattenKind } from './flatten.js';
import type { LayerKind } from './layer-kind.js';
import { averagePooling2dKind, globalAveragePooling2dKind, maxPooling2dKind } from './pooling.js';
import { reshapeKind } from './reshape.js';

/** Layer configs that are one layer each (not containers of others). */
export type LeafConfig = Exclude<LayerConfig, { kind: 'sequential' }>;

/**
 * Every leaf layer kind a model file holds, by axon's kind. Add a layer here, with its
 * entry file: the table is total, so a new `LayerConfig` kind does not compile without
 * one.
 */
const kinds: { readonly [K in LeafConfig['kind']]: LayerKind<Extract<LeafConfig, { kind: K }>> } = {
  dense: denseKind,
  activation: activationKind,
  dropout: dropoutKind,
  flatten: flattenKind,
  reshape: reshapeKind,
  conv2d: conv2dKind,
  maxPooling2d: maxPooling2dKind,
  averagePooling2d: averagePooling2dKind,
  globalAveragePooling2d: globalAveragePooling2dKind,
  batchNormalization: batchNormalizationKind,
};

/**
 * The entry for an axon layer config.
 *
 * @example
 * layerKindOf({ kind: 'flatten' }).write({ kind: 'flatten' }, [28, 28]).className; // 'Flatten'
 */
export const layerKindOf = <C extends LeafConfig>(config: C): LayerKind<C> =>
  kinds[config.kind] as unknown as LayerKind<C>;

const byClassName = new Map<string, LayerKind>(
  Object.values(kinds).flatMap((kind) =>
    (kind as unknown as LayerKind).classNames.map((className): [string, LayerKind] => [
      className,
      kind as unknown as LayerKind,
    ]),
  ),
);

/**
 * The entry that reads a Keras class, if axon reads it.
 *
 * @example
 * layerKindForClass('LeakyReLU')?.kind; // 'activation'
 * layerKindForClass('Conv3D');          // undefined
 */
export const layerKindForClass = (className: string): LayerKind | undefined => byClassName.get(className);

/** The Keras layer classes axon reads, sorted, for messages. */
export const readableClassNames: readonly string[] = [...byClassName.keys(), 'InputLayer', 'Sequential'].sort();
