import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverage, encodePng, opaqueGrey, rgba, seven } from '../../test/support/png-fixtures.js';
import { mnistInputFromPng } from './mnist-input.js';
import { readMnistImage } from './read-image.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'axon-read-image-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readMnistImage', () => {
  it('reads a PNG file into the same input as its bytes give', async () => {
    const placement = { width: 50, height: 50, left: 5, top: 5, size: 40 };
    const covered = coverage(seven, placement);
    const png = encodePng(
      50,
      50,
      rgba(covered.length, (i) => opaqueGrey(255 * covered[i])),
    );
    const file = path.join(root, 'seven.png');
    await writeFile(file, png);
    expect(await readMnistImage(file)()).toEqual(mnistInputFromPng(png));
    expect(E.isRight(await readMnistImage(file)())).toBe(true);
  });

  it('names the file in every refusal', async () => {
    const text = path.join(root, 'notes.png');
    await writeFile(text, 'not an image');
    expect(await readMnistImage(text)()).toEqual(
      E.left(`${text}: not a PNG image (it does not start with the PNG signature)`),
    );
    const missing = path.join(root, 'missing.png');
    expect(await readMnistImage(missing)()).toEqual(E.left(`${missing}: cannot read: does not exist`));
    expect(await readMnistImage(root)()).toEqual(E.left(`${root}: cannot read: is a directory`));
  });
});
