// The web edge: a dataset's files fetched over HTTP, from a page, a worker or Node.js.
import { sequenceS } from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeIdxFile } from '../dataset/decode-file.js';
import { labeledDatasetFromIdx, type NamedIdxArray } from '../dataset/from-idx.js';
import type { IdxDatasetSpec, IdxPart } from '../dataset/idx-dataset-spec.js';
import type { DatasetSplits } from '../dataset/labeled-dataset.js';
import type { DataError } from '../error/data-error.js';
import type { IdxType, IdxValues } from '../idx/idx-type.js';

/** The part of `fetch` that {@link fetchDataset} needs. */
export type FetchBytes = (
  url: string,
) => Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Options of {@link fetchDataset}. */
export interface FetchDatasetOptions {
  /** Default: the global `fetch`. */
  readonly fetch?: FetchBytes;
  /** Check each file against the dataset's SHA-256 digests. Default `true`. */
  readonly verify?: boolean;
}

/** A file's name on a server: the name its mirrors use, or else its stem. */
const fileNameOf = (spec: IdxDatasetSpec, part: IdxPart): string =>
  spec.files[part].download?.fileName ?? spec.files[part].stem;

const fetchPart = <T extends IdxType>(
  spec: IdxDatasetSpec<T>,
  part: IdxPart,
  baseUrl: string,
  options: FetchDatasetOptions,
): TE.TaskEither<DataError, NamedIdxArray> => {
  const url = new URL(fileNameOf(spec, part), baseUrl).href;
  const fetchBytes = options.fetch ?? (globalThis.fetch as FetchBytes);
  const network = (detail: string): DataError => ({
    kind: 'download-failed',
    file: url,
    attempts: [{ url, problem: { kind: 'network', detail } }],
  });
  return pipe(
    TE.tryCatch(
      () => fetchBytes(url),
      (error) => network(error instanceof Error ? error.message : String(error)),
    ),
    TE.chain((response) =>
      response.ok
        ? TE.tryCatch(
            async () => new Uint8Array(await response.arrayBuffer()),
            (error) => network(String(error)),
          )
        : TE.left<DataError>({
            kind: 'download-failed',
            file: url,
            attempts: [{ url, problem: { kind: 'http-status', status: response.status } }],
          }),
    ),
    // A server may send a `.gz` with Content-Encoding: gzip; the browser then hands over raw IDX, which is verified by content.
    TE.chain(decodeIdxFile(url, options.verify === false ? undefined : spec.files[part].download?.checksums)),
    TE.map((array) => ({ file: url, array })),
  );
};

/**
 * Fetches an IDX dataset's four files from `baseUrl` (each under the name its mirrors
 * use, e.g. `train-images-idx3-ubyte.gz`), decodes them (gzipped or not), verifies them
 * by SHA-256 and assembles the training and test sets. For pages and workers, where
 * there is no file system: serve the files beside the page, as the playground does.
 *
 * @example
 * ```ts
 * const loaded = await fetchDataset(mnist, new URL('mnist/', location.href).href)();
 * if (E.isRight(loaded)) loaded.right.train.inputs.shape; // [60000, 28, 28]
 * ```
 */
export const fetchDataset = <T extends IdxType>(
  spec: IdxDatasetSpec<T>,
  baseUrl: string,
  options: FetchDatasetOptions = {},
): TE.TaskEither<DataError, DatasetSplits<IdxValues[T]>> =>
  pipe(
    sequenceS(TE.ApplyPar)({
      trainInputs: fetchPart(spec, 'trainInputs', baseUrl, options),
      trainLabels: fetchPart(spec, 'trainLabels', baseUrl, options),
      testInputs: fetchPart(spec, 'testInputs', baseUrl, options),
      testLabels: fetchPart(spec, 'testLabels', baseUrl, options),
    }),
    TE.chainEitherK((files) => {
      const assemble = labeledDatasetFromIdx(spec);
      return sequenceS(E.Apply)({
        train: assemble(files.trainInputs, files.trainLabels),
        test: assemble(files.testInputs, files.testLabels),
      });
    }),
  );
