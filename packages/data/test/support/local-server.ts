import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request; `attempt` counts earlier requests for the same path, from 0. */
export type Route = (response: ServerResponse, attempt: number, request: IncomingMessage) => void;

/** An HTTP server on 127.0.0.1 with a port the OS chose; nothing leaves the machine. */
export interface LocalServer {
  readonly baseUrl: string;
  /** Requests received per path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

/** Starts a server answering each path from `routes` and everything else with 404. */
export const startServer = async (routes: Record<string, Route>): Promise<LocalServer> => {
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const attempt = hits.get(path) ?? 0;
    hits.set(path, attempt + 1);
    const route = routes[path];
    if (route === undefined) response.writeHead(404).end('not here');
    else route(response, attempt, request);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Sends `body` whole, with its length. */
export const serve =
  (body: Uint8Array): Route =>
  (response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    response.end(body);
  };

/** Announces `body`'s full length, sends half of it, then drops the connection. */
export const serveHalf =
  (body: Uint8Array): Route =>
  (response) => {
    response.writeHead(200, { 'content-length': body.length });
    response.write(body.subarray(0, body.length >> 1), () => response.destroy());
  };

/** Sends the headers and then nothing, holding the connection open. */
export const stall: Route = (response) => {
  response.writeHead(200, { 'content-length': 100 });
  response.flushHeaders();
};
