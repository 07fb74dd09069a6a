import { gzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeIdx,
  fetchDataset,
  mnistLayout,
  renderDataError,
  type IdxDatasetSpec,
  type IdxPart,
} from '../src/index.js';
import { leftOf } from './support/either.js';
import { serve, startServer, type LocalServer } from './support/local-server.js';
import { nodeSha256Hex } from './support/sha256.js';

const contents: Record<IdxPart, Uint8Array> = {
  trainInputs: encodeIdx({ type: 'u8', shape: [3, 2, 2], values: Uint8Array.from({ length: 12 }, (_, i) => i) }),
  trainLabels: encodeIdx({ type: 'u8', shape: [3], values: Uint8Array.of(0, 1, 2) }),
  testInputs: encodeIdx({ type: 'u8', shape: [1, 2, 2], values: Uint8Array.of(9, 9, 9, 9) }),
  testLabels: encodeIdx({ type: 'u8', shape: [1], values: Uint8Array.of(7) }),
};
const spec: IdxDatasetSpec<'u8'> = {
  name: 'tiny',
  inputTypes: ['u8'],
  sampleShape: [2, 2],
  mirrors: [],
  files: mnistLayout({
    trainInputs: { contentSha256: nodeSha256Hex(contents.trainInputs) },
    trainLabels: { contentSha256: nodeSha256Hex(contents.trainLabels) },
    testInputs: { contentSha256: nodeSha256Hex(contents.testInputs) },
    testLabels: { contentSha256: nodeSha256Hex(contents.testLabels) },
  }),
};
const routes = (override: Partial<Record<IdxPart, Uint8Array>> = {}) =>
  Object.fromEntries(
    (Object.keys(contents) as IdxPart[]).map((part) => [
      `/data/${spec.files[part].download?.fileName}`,
      serve(gzipSync(override[part] ?? contents[part])),
    ]),
  );

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('fetchDataset over HTTP, as a page or worker loads data', () => {
  it('fetches, decompresses, verifies and assembles both splits', async () => {
    server = await startServer(routes());
    const loaded = await fetchDataset(spec, `${server.baseUrl}data/`)();
    if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
    expect(loaded.right.train.inputs).toEqual({ shape: [3, 2, 2], values: contents.trainInputs.subarray(16) });
    expect([...loaded.right.train.labels]).toEqual([0, 1, 2]);
    expect([...loaded.right.test.labels]).toEqual([7]);
  });

  it('refuses a file whose content is not the known one, naming its URL', async () => {
    const changed = Uint8Array.from(contents.testLabels);
    changed[changed.length - 1] = 3;
    server = await startServer(routes({ testLabels: changed }));
    const error = leftOf(await fetchDataset(spec, `${server.baseUrl}data/`)());
    expect(error).toMatchObject({
      kind: 'checksum-mismatch',
      file: `${server.baseUrl}data/${spec.files.testLabels.download?.fileName}`,
    });
    expect(await fetchDataset(spec, `${server.baseUrl}data/`, { verify: false })()).toMatchObject({ _tag: 'Right' });
  });

  it('reports a missing file as an HTTP status for its URL', async () => {
    server = await startServer({});
    const error = leftOf(await fetchDataset(spec, `${server.baseUrl}nowhere/`)());
    expect(error).toMatchObject({
      kind: 'download-failed',
      attempts: [{ problem: { kind: 'http-status', status: 404 } }],
    });
    expect(renderDataError(error)).toMatch(/nowhere\/.*download failed/);
  });
});
