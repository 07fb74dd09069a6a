import { homedir } from 'node:os';
import type { DataEnvironment } from '../locate/search-locations.js';

/**
 * Reads `AXON_DATA_DIR`, `XDG_CACHE_HOME` and the home directory from this process.
 *
 * @example
 * ```ts
 * searchLocations('mnist', readDataEnvironment());
 * ```
 */
export const readDataEnvironment = (): DataEnvironment => ({
  axonDataDir: process.env['AXON_DATA_DIR'],
  xdgCacheHome: process.env['XDG_CACHE_HOME'],
  homeDir: homedir(),
});
