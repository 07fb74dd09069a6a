import { type DecodeProblem, describeProblem } from '../codec/decode-problem.js';
import { modelJsonFile } from './file-names.js';

/**
 * Why a model could not be read or written. `file` names the file concerned: a bare
 * name from the pure encoders and decoders, a full path once the file-system edge has
 * added the directory.
 */
export type ModelFileError =
  /** The file system refused: missing file, no permission, disk full. */
  | { readonly kind: 'io'; readonly file: string; readonly message: string }
  /** The file is not JSON at all. */
  | { readonly kind: 'json'; readonly file: string; readonly message: string }
  /** A field holds a value the format does not allow, or one that disagrees with another field. */
  | { readonly kind: 'field'; readonly file: string; readonly problem: DecodeProblem }
  /** The weights data does not have the size the manifest promises. */
  | { readonly kind: 'weights'; readonly file: string; readonly message: string }
  /** The in-memory model is inconsistent (a weight array of the wrong length), so it cannot be saved. */
  | { readonly kind: 'model'; readonly message: string }
  /** The output path exists and is not a model directory, so saving will not replace it. */
  | { readonly kind: 'target'; readonly file: string; readonly message: string };

/**
 * One line for the user: the file, the field where there is one, and what is wrong.
 *
 * @example
 * renderModelFileError({ kind: 'field', file: 'model/model.json',
 *   problem: { path: ['format'], expected: '"layers-model"', value: 'graph-model' } });
 * // 'model/model.json: format: expected "layers-model", got "graph-model"'
 */
export function renderModelFileError(error: ModelFileError): string {
  return singleLine(renderedLine(error));
}

function renderedLine(error: ModelFileError): string {
  switch (error.kind) {
    case 'field':
      return `${error.file}: ${describeProblem(error.problem)}`;
    case 'json':
      return `${error.file}: not valid JSON (${error.message})`;
    case 'model':
      return `cannot save the model: ${error.message}`;
    case 'io':
    case 'weights':
    case 'target':
      return `${error.file}: ${error.message}`;
  }
}

/**
 * Escapes line breaks and other control characters (which a parser's message may
 * quote from a damaged file, and a path may hold), so an error is always one line.
 *
 * @example
 * singleLine('bad\ntext'); // 'bad\\ntext'
 */
export const singleLine = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const escaped = JSON.stringify(c).slice(1, -1);
    return escaped.length > 1 ? escaped : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });

/**
 * A field error in `model.json`.
 *
 * @example
 * fieldError(['modelTopology', 'class_name'], '"Sequential"', 'Functional');
 */
export function fieldError(path: DecodeProblem['path'], expected: string, value: unknown): ModelFileError {
  return { kind: 'field', file: modelJsonFile, problem: { path, expected, value } };
}
