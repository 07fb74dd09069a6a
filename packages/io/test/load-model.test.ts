import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, loadModel, renderModelFileError, type ModelFiles } from '../src/index.js';
import { modelAsWritten, plainModel, savedModelArbitrary } from '../src/testing/index.js';

const encode = (model: Parameters<typeof encodeModel>[0]): ModelFiles => {
  const files = encodeModel(model, 'axon test');
  if (E.isLeft(files)) throw new Error(renderModelFileError(files.left));
  return files.right;
};

/** Files a local HTTP server serves, by path; anything else is a 404. */
const served = new Map<string, Uint8Array | string>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const body = served.get(request.url ?? '');
    response.writeHead(body === undefined ? 404 : 200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const errorLine = (result: E.Either<Parameters<typeof renderModelFileError>[0], unknown>): string =>
  E.isLeft(result) ? renderModelFileError(result.left) : 'loaded';

describe('loadModel', () => {
  it('loads a model from its model.json URL, fetching the weights beside it, as from bytes', async () => {
    await fc.assert(
      fc.asyncProperty(savedModelArbitrary(), fc.nat(), async (model, id) => {
        const files = encode(model);
        served.set(`/models/${id}/model.json`, files.modelJson);
        served.set(`/models/${id}/weights.bin`, files.weightsBin);
        const fromUrl = await loadModel(`${base}/models/${id}/model.json`)();
        const fromBytes = await loadModel({
          modelJson: new TextEncoder().encode(files.modelJson),
          weights: [files.weightsBin],
        })();
        if (E.isLeft(fromUrl)) throw new Error(renderModelFileError(fromUrl.left));
        expect(plainModel(fromUrl.right)).toEqual(plainModel(modelAsWritten(model)));
        expect(E.map(plainModel)(fromBytes)).toEqual(E.right(plainModel(fromUrl.right)));
      }),
      { numRuns: 10 },
    );
  });

  it('names the URL that failed and why', async () => {
    const [model] = fc.sample(savedModelArbitrary(), { numRuns: 1, seed: 3 });
    const files = encode(model);
    served.set('/lost/model.json', files.modelJson);
    expect(errorLine(await loadModel(`${base}/absent/model.json`)())).toBe(
      `${base}/absent/model.json: cannot fetch: HTTP 404 Not Found`,
    );
    expect(errorLine(await loadModel(`${base}/lost/model.json`)())).toBe(
      `${base}/lost/weights.bin: cannot fetch: HTTP 404 Not Found`,
    );
    served.set('/short/model.json', files.modelJson);
    served.set('/short/weights.bin', files.weightsBin.subarray(1));
    expect(errorLine(await loadModel(`${base}/short/model.json`)())).toMatch(
      new RegExp(`^${base}/short/weights\\.bin: expected \\d+ bytes`),
    );
    served.set('/broken/model.json', '{"modelTopology": ');
    expect(errorLine(await loadModel(`${base}/broken/model.json`)())).toMatch(
      new RegExp(`^${base}/broken/model\\.json: not valid JSON`),
    );
    expect(errorLine(await loadModel('models/model.json')())).toBe(
      'models/model.json: not a URL (a relative URL needs a page to be relative to)',
    );
    expect(errorLine(await loadModel('http://127.0.0.1:1/model.json')())).toMatch(
      /^http:\/\/127\.0\.0\.1:1\/model\.json: cannot fetch: /,
    );
  });
});
