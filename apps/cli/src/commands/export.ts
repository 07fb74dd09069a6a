import { renderModelFileError, toOnnx } from '@axon/io';
import { loadModel, writeFileAtomically } from '@axon/io/node';
import * as E from 'fp-ts/lib/Either.js';
import type { ExportConfig } from '../options/export-options.js';
import type { CommandIo } from './command-io.js';
import type { CommandFailure } from './failure.js';

/**
 * `axon export`: reads a model directory (axon's, or one TensorFlow.js or Keras wrote)
 * and writes it as ONNX (opset 13) for ONNX Runtime and other frameworks, atomically.
 *
 * @example
 * await runExport({ command: 'export', model: 'model', format: 'onnx', out: 'model.onnx', verbose: false }, io);
 */
export async function runExport(config: ExportConfig, io: CommandIo): Promise<E.Either<CommandFailure, void>> {
  const loaded = await loadModel(config.model)();
  if (E.isLeft(loaded)) return E.left(`axon export: ${renderModelFileError(loaded.left)}`);
  const { config: model, params, state, inputShape } = loaded.right;
  const onnx = toOnnx({ config: model }, params, {
    inputShape,
    ...(state === undefined ? {} : { state }),
    producerVersion: io.version,
  });
  if (E.isLeft(onnx)) return E.left(`axon export: ${config.model}: ${onnx.left}`);
  const written = await writeFileAtomically(config.out, onnx.right)();
  if (E.isLeft(written)) return E.left(`axon export: ${written.left}`);
  io.stdout.write(`wrote ${config.out} (ONNX, opset 13, ${onnx.right.byteLength.toLocaleString('en-US')} bytes)\n`);
  return E.right(undefined);
}
