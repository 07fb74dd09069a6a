/**
 * @axon/web/serve: the playground's server for Node.js, which `axon serve` runs. Serves
 * the built site (and a model directory of your choice as the page's model) with the
 * cross-origin isolation headers the WebAssembly backend's threads need.
 *
 * @example
 * ```ts
 * import { servePlayground } from '@axon/web/serve';
 * const playground = await servePlayground({ modelDir: './model' });
 * console.log(playground.url); // http://127.0.0.1:41234/
 * ```
 */
export { contentTypeOf } from './content-types.js';
export {
  isolationHeaders,
  playgroundSiteDir,
  servePlayground,
  type RunningPlayground,
  type ServeOptions,
} from './serve-playground.js';
