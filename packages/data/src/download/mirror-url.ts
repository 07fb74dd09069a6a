/**
 * The URL of `fileName` under a mirror's base URL, with or without its trailing slash.
 *
 * @example
 * ```ts
 * mirrorUrl('https://example.org/mnist', 't10k-labels-idx1-ubyte.gz');
 * // 'https://example.org/mnist/t10k-labels-idx1-ubyte.gz'
 * ```
 */
export const mirrorUrl = (base: string, fileName: string): string =>
  `${base.endsWith('/') ? base : `${base}/`}${fileName}`;
