// The Node.js edge of the playground: a static file server for the built site.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf } from './content-types.js';

/** The built site: `dist/site` of this package (the same from its sources and from its build). */
export const playgroundSiteDir: string = fileURLToPath(new URL('../../dist/site/', import.meta.url));

/** Options of {@link servePlayground}. */
export interface ServeOptions {
  /** The built site to serve. Default {@link playgroundSiteDir}. */
  readonly siteDir?: string;
  /** A model directory (`model.json` + weights, as `axon train --out` writes) served as the page's model instead of the default one. */
  readonly modelDir?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`: only this machine can connect. */
  readonly host?: string;
}

/** A running playground server. */
export interface RunningPlayground {
  /** The page's address, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** Stops accepting connections and ends the open ones. */
  close(): Promise<void>;
}

/**
 * The headers every response carries. COOP and COEP make the page cross-origin isolated,
 * which browsers require before they share memory between threads (SharedArrayBuffer,
 * used by the WebAssembly backend's workers); CORP lets the isolated page load its own files.
 */
export const isolationHeaders: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

/** The file under `root` that a URL path names, or undefined when it would leave `root`. */
const within = (root: string, urlPath: string): string | undefined => {
  const file = normalize(join(root, urlPath));
  const inside = relative(root, file);
  return inside.startsWith('..') || isAbsolute(inside) ? undefined : file;
};

/** Where a request path is served from: the model directory for `/model/…` when one was given, else the site. */
const fileFor = (urlPath: string, siteDir: string, modelDir: string | undefined): string | undefined => {
  if (modelDir !== undefined && (urlPath === '/model' || urlPath.startsWith('/model/')))
    return within(modelDir, urlPath.slice('/model'.length));
  return within(siteDir, urlPath);
};

const send = (response: ServerResponse, status: number, text: string): void => {
  response.writeHead(status, { ...isolationHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
};

const handle = async (
  request: IncomingMessage,
  response: ServerResponse,
  siteDir: string,
  modelDir: string | undefined,
): Promise<void> => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'method not allowed\n');
  }
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(response, 400, 'bad request\n');
  }
  let file = fileFor(urlPath, siteDir, modelDir);
  if (file === undefined || urlPath.includes('\0')) return send(response, 404, 'not found\n');
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory() === true) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (info === undefined || !info.isFile()) return send(response, 404, 'not found\n');
  response.writeHead(200, { ...isolationHeaders, 'Content-Type': contentTypeOf(file), 'Content-Length': info.size });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
};

/**
 * Serves the playground: the built site, and `/model/` from `modelDir` when given (the
 * page loads its model from there), with the headers that make the page cross-origin
 * isolated. Listens on `host` (127.0.0.1 unless stated) and `port` (a free one unless
 * stated). `axon serve` is this function behind a command line.
 *
 * @example
 * ```ts
 * const playground = await servePlayground({ modelDir: 'model', port: 8080 });
 * console.log(`open ${playground.url}`); // http://127.0.0.1:8080/
 * await playground.close();
 * ```
 */
export const servePlayground = async (options: ServeOptions = {}): Promise<RunningPlayground> => {
  const siteDir = options.siteDir ?? playgroundSiteDir;
  const modelDir = options.modelDir;
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    handle(request, response, siteDir, modelDir).catch(() => {
      if (!response.headersSent) send(response, 500, 'internal error\n');
      else response.destroy();
    });
  });
  // A page fetches in bursts a user's actions space out (the site, then MNIST when training
  // starts). Node closes an idle connection after 5 s by default, and a client reusing it
  // just then sees the request fail ('other side closed'); a minute makes that rare.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
