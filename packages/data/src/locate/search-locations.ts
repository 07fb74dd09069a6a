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
  readonly origin: 'dir option' | 'AXON_DATA_DIR' | 'cache' | 'bundled copy';
}

/** The directories the caller names: each holds a dataset's files themselves. */
export interface GivenDirectories {
  /** Searched first: the user's choice (`--data-dir` in the CLI). */
  readonly dir?: string;
  /** Searched after the cache: a copy shipped with the application, e.g. `@axon/mnist-data`. */
  readonly bundledDir?: string;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

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
 * Where a dataset's files are looked for, in order: the directory the user gave,
 * `$AXON_DATA_DIR/<name>`, the cache, then the bundled copy. A download, when one is
 * needed, comes after all of them.
 *
 * @example
 * ```ts
 * searchLocations('mnist', { axonDataDir: '/data', homeDir: '/home/ada' }, { dir: '../shared/data/mnist', bundledDir: '/app/mnist' });
 * // [{ dir: '../shared/data/mnist', origin: 'dir option' },
 * //  { dir: '/data/mnist', origin: 'AXON_DATA_DIR' },
 * //  { dir: '/home/ada/.cache/axon/mnist', origin: 'cache' },
 * //  { dir: '/app/mnist', origin: 'bundled copy' }]
 * ```
 */
export const searchLocations = (
  datasetName: string,
  env: DataEnvironment,
  given: GivenDirectories = {},
): SearchLocation[] => {
  const dataDir = nonEmpty(env.axonDataDir);
  return [
    ...(given.dir === undefined ? [] : [{ dir: given.dir, origin: 'dir option' as const }]),
    ...(dataDir === undefined ? [] : [{ dir: join(dataDir, datasetName), origin: 'AXON_DATA_DIR' as const }]),
    { dir: cacheDirectory(env, datasetName), origin: 'cache' },
    ...(given.bundledDir === undefined ? [] : [{ dir: given.bundledDir, origin: 'bundled copy' as const }]),
  ];
};
