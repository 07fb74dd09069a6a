import type { LayerConfig } from '@axon/nn';
import { activationKind } from './activation.js';
import { denseKind } from './dense.js';
import { dropoutKind } from './dropout.js';
import { flattenKind } from './flatten.js';
import type { LayerKind } from './layer-kind.js';
import { reshapeKind } from './reshape.js';

/** Layer configs that are one layer each (not containers of others). */
export type LeafConfig = Exclude<LayerConfig, { kind: 'sequential' }>;

/**
 * Every leaf layer kind a model file holds, by axon's kind. Add a layer here, with its
 * entry file; a kind without one (convolutions, pooling and batch normalization, for
 * now) is refused by name when a model is saved or exported.
 */
const kinds: { readonly [K in LeafConfig['kind']]?: LayerKind<Extract<LeafConfig, { kind: K }>> } = {
  dense: denseKind,
  activation: activationKind,
  dropout: dropoutKind,
  flatten: flattenKind,
  reshape: reshapeKind,
};

/**
 * The entry for an axon layer config, or `undefined` for a kind model files do not hold yet.
 *
 * @example
 * layerKindOf({ kind: 'flatten' })?.write({ kind: 'flatten' }, [28, 28]).className; // 'Flatten'
 */
export const layerKindOf = <C extends LeafConfig>(config: C): LayerKind<C> | undefined => kinds[config.kind] as unknown as LayerKind<C> | undefined;

/** The kinds model files hold, for messages. */
export const writableKinds: readonly string[] = Object.keys(kinds);

/**
 * Why a layer of a kind without an entry cannot be written.
 *
 * @example
 * unwritable({ kind: 'conv2d', … }); // 'conv2d layers cannot be written to model files yet (axon writes dense, activation, …)'
 */
export const unwritable = (config: LeafConfig): string =>
  `${config.kind} layers cannot be written to model files yet (axon writes ${writableKinds.join(', ')} and sequential layers)`;

const byClassName = new Map<string, LayerKind>(
  Object.values(kinds).flatMap((kind) => (kind as unknown as LayerKind).classNames.map((className): [string, LayerKind] => [className, kind as unknown as LayerKind])),
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
