import type { LayerConfig } from '@axon/nn';
import type { Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { type LeafConfig, layerKindOf } from './layer-kinds/index.js';

/**
 * The shape of one output sample of layers applied to samples of `inputShape`, or
 * which layer cannot take the shape that reaches it.
 *
 * @example
 * outputShapeOf({ kind: 'sequential', layers: [{ kind: 'flatten' }, dense10] }, [28, 28]); // right([10])
 */
export function outputShapeOf(config: LayerConfig, inputShape: Shape): E.Either<string, Shape> {
  if (config.kind !== 'sequential') {
    return E.mapLeft((needs: string) => `${config.kind} needs ${needs}, not [${inputShape.join(', ')}]`)(
      layerKindOf(config as LeafConfig).outputShape(config as LeafConfig, inputShape),
    );
  }
  let shape: E.Either<string, Shape> = E.right(inputShape);
  for (const layer of config.layers) shape = E.chain((s: Shape) => outputShapeOf(layer, s))(shape);
  return shape;
}
