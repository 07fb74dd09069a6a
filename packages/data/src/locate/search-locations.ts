import { isAbsolute, join } from 'node:path';

/**
 * The parts of the environment that decide where datasets are looked for, read by the
 * edge (`readDataEnvironment`) and passed in, so the look-up itself stays pure.
 */
export interface DataEnvironment {
  /** `$AXON_DATA_DIR`: a folder with one sub-folder per dataset (`mnist/`, `fashion-mnist/`). */
  readonly axonDataDir?: string;
  /** `$XDG_CACHE_HOME`. */
  readonly xdgCacheHome?: string;
  /** The user's home directory. */
  readonly homeDir: string;
}

/** A directory searched for dataset files, and why it was searched. */
export interface SearchLocation {
  readonly dir: string;
  readonly origin: 'dir option' | 'AXON_DATA_DIR' | 'cache';
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/**
 * The cache folder for a dataset: `$XDG_CACHE_HOME/axon/<name>`, or
 * `~/.cache/axon/<name>` when that variable is unset, empty or relative (the XDG spec
 * says to ignore relative paths). Downloads are stored here.
 *
 * @example
 * ```ts
 * cacheDirectory({ homeDir: '/home/ada' }, 'mnist'); // '/home/ada/.cache/axon/mnist'
 * ```
 */
export const cacheDirectory = (env: DataEnvironment, datasetName: string): string => {
  const xdg = nonEmpty(env.xdgCacheHome);
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.homeDir, '.cache'), 'axon', datasetName);
};

/**
 * Where a dataset's files are looked for, in order: the directory the caller gave (it
 * holds the files themselves), `$AXON_DATA_DIR/<name>`, then the cache.
 *
 * @example
 * ```ts
 * searchLocations('mnist', '../shared/data/mnist', { axonDataDir: '/data', homeDir: '/home/ada' });
 * // [{ dir: '../shared/data/mnist', origin: 'dir option' },
 * //  { dir: '/data/mnist', origin: 'AXON_DATA_DIR' },
 * //  { dir: '/home/ada/.cache/axon/mnist', origin: 'cache' }]
 * ```
 */
export const searchLocations = (datasetName: string, dir: string | undefined, env: DataEnvironment): SearchLocation[] => {
  const dataDir = nonEmpty(env.axonDataDir);
  return [
    ...(dir === undefined ? [] : [{ dir, origin: 'dir option' as const }]),
    ...(dataDir === undefined ? [] : [{ dir: join(dataDir, datasetName), origin: 'AXON_DATA_DIR' as const }]),
    { dir: cacheDirectory(env, datasetName), origin: 'cache' },
  ];
};
