import { Tensor, tensor, type TensorTree } from '@axon/tensor';

/** A tensor as structured clone carries it between a worker and the page. */
interface TransferTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A params tree with plain arrays in place of tensors, for `postMessage`. */
export type TransferTree = TransferTensor | readonly TransferTree[] | { readonly [key: string]: TransferTree };

const isTransferTensor = (tree: TransferTree): tree is TransferTensor =>
  (tree as TransferTensor).values instanceof Float32Array;

/** The float32 values of every tensor in a params tree, read back from any backend. */
export const toTransfer = (tree: TensorTree): TransferTree => {
  if (tree instanceof Tensor) return { shape: tree.shape, values: Float32Array.from(tree.values) };
  if (Array.isArray(tree)) return tree.map(toTransfer);
  return Object.fromEntries(
    Object.entries(tree as Record<string, TensorTree>).map(([name, child]) => [name, toTransfer(child)]),
  );
};

/** The params tree back as tensors on the reference backend. */
export const fromTransfer = (tree: TransferTree): TensorTree => {
  if (isTransferTensor(tree)) return tensor(tree.values, { shape: tree.shape });
  if (Array.isArray(tree)) return tree.map(fromTransfer);
  return Object.fromEntries(
    Object.entries(tree as Record<string, TransferTree>).map(([name, child]) => [name, fromTransfer(child)]),
  );
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * A fingerprint of a params tree's exact float32 bits (32-bit FNV-1a over every
 * tensor's bytes, in tree order), so that two runs can be seen to have trained the very
 * same weights, not merely reached the same loss.
 *
 * @example
 * ```ts
 * weightsFingerprint(toTransfer(params)); // e.g. '5f0c2a91'
 * ```
 */
export const weightsFingerprint = (tree: TransferTree): string => {
  let hash = FNV_OFFSET;
  const visit = (node: TransferTree): void => {
    if (isTransferTensor(node)) {
      for (const byte of new Uint8Array(node.values.buffer, node.values.byteOffset, node.values.byteLength))
        hash = Math.imul(hash ^ byte, FNV_PRIME);
    } else if (Array.isArray(node)) node.forEach(visit);
    else Object.values(node as Record<string, TransferTree>).forEach(visit);
  };
  visit(tree);
  return (hash >>> 0).toString(16).padStart(8, '0');
};
