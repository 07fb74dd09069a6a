import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeModel, parseModelJson, weightFileNames } from '../layers-model/decode.js';
import { modelJsonFile } from '../layers-model/file-names.js';
import type { ModelFileError } from '../layers-model/model-file-error.js';
import type { SavedModel } from '../layers-model/saved-model.js';

/** A model's files in memory: `model.json` (text or UTF-8 bytes) and the weights files it names, in manifest order. */
export interface ModelBytes {
  readonly modelJson: string | Uint8Array;
  readonly weights: Uint8Array | readonly Uint8Array[];
}

/** The part of `fetch` that loading needs; the global `fetch` unless given. */
export type Fetch = (url: string) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** How to fetch a URL (to add headers, or in tests); the global `fetch` unless stated. */
  readonly fetch?: Fetch;
}

const concatenate = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
};

/** Fetches a URL's bytes; left names the URL and why it failed. */
async function fetchBytes(fetcher: Fetch, url: string): Promise<E.Either<ModelFileError, Uint8Array>> {
  try {
    const response = await fetcher(url);
    if (!response.ok)
      return E.left({
        kind: 'io',
        file: url,
        message: `cannot fetch: HTTP ${response.status} ${response.statusText}`.trimEnd(),
      });
    return E.right(new Uint8Array(await response.arrayBuffer()));
  } catch (error) {
    return E.left({
      kind: 'io',
      file: url,
      message: `cannot fetch: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/** Resolves a URL against the page's address where there is one (in a browser). */
function absoluteUrl(url: string | URL): E.Either<ModelFileError, URL> {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return E.right(new URL(url, base));
  } catch {
    return E.left({
      kind: 'io',
      file: String(url),
      message: 'not a URL (a relative URL needs a page to be relative to)',
    });
  }
}

/**
 * Loads a model in the TensorFlow.js layers format from a URL (its `model.json`; the
 * weights files are fetched beside it, as `tf.loadLayersModel` does) or from bytes
 * already in memory. Runs in browsers and in Node.js. Right is the model as configs
 * and float32 params; left one {@link ModelFileError} naming the file or URL.
 *
 * @example
 * ```ts
 * const loaded = await loadModel('https://example.com/models/mnist/model.json')();
 * if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
 * const model = layers.fromConfig(loaded.right.config);
 * model.apply(loaded.right.params, images);
 * ```
 */
export function loadModel(
  source: string | URL | ModelBytes,
  options: LoadModelOptions = {},
): TE.TaskEither<ModelFileError, SavedModel> {
  return async () => {
    if (typeof source === 'object' && !(source instanceof URL)) {
      const text = typeof source.modelJson === 'string' ? source.modelJson : new TextDecoder().decode(source.modelJson);
      const weights = source.weights instanceof Uint8Array ? source.weights : concatenate(source.weights);
      return pipe(
        parseModelJson(text),
        E.chain((json) => decodeModel(json, weights)),
      );
    }
    const fetcher = options.fetch ?? (globalThis.fetch as Fetch | undefined);
    if (fetcher === undefined)
      return E.left({ kind: 'io', file: String(source), message: 'cannot fetch: this runtime has no fetch' });
    const url = absoluteUrl(source);
    if (E.isLeft(url)) return url;
    const modelUrl = url.right.href;
    const jsonBytes = await fetchBytes(fetcher, modelUrl);
    if (E.isLeft(jsonBytes)) return jsonBytes;
    const json = pipe(
      parseModelJson(new TextDecoder().decode(jsonBytes.right)),
      E.mapLeft((error): ModelFileError =>
        'file' in error && error.file === modelJsonFile ? { ...error, file: modelUrl } : error,
      ),
    );
    if (E.isLeft(json)) return json;
    const parts: Uint8Array[] = [];
    for (const name of weightFileNames(json.right)) {
      const part = await fetchBytes(fetcher, new URL(name, modelUrl).href);
      if (E.isLeft(part)) return part;
      parts.push(part.right);
    }
    return pipe(
      decodeModel(json.right, concatenate(parts)),
      E.mapLeft((error): ModelFileError =>
        'file' in error
          ? {
              ...error,
              file:
                error.file === modelJsonFile
                  ? modelUrl
                  : error.file
                      .split(', ')
                      .map((name) => new URL(name, modelUrl).href)
                      .join(', '),
            }
          : error,
      ),
    );
  };
}
