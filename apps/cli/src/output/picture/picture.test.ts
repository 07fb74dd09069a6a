import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../image/png.js';
import { paint, textBox } from './canvas.js';
import { errorsGrid } from './errors-grid.js';
import { explainPicture } from './explain-picture.js';
import { lineHeight, textPixels, textWidth } from './font.js';
import { pngBytes } from './png-bytes.js';

const digit = {
  width: 28,
  height: 28,
  pixels: Float32Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 16 ? 1 : 0)),
};

describe('the pixel font', () => {
  it('lays characters out left to right within their widths, a column apart, within the line height', () => {
    for (const text of ['true 7', 'said 9 97.3%', 'T-shirt/top', 'Ankle boot', 'jgpy']) {
      const pixels = textPixels(text);
      expect(pixels.length).toBeGreaterThan(0);
      pixels.forEach(({ x, y }) => {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(textWidth(text));
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(lineHeight);
      });
    }
    expect(textWidth('ab')).toBe(textWidth('a') + textWidth('b'));
    // A character the font lacks is drawn as a question mark, not skipped.
    expect(textPixels('é')).toEqual(textPixels('?'));
  });
});

describe('paint', () => {
  it('draws scaled images and text over the background, cutting what falls outside', () => {
    const image = { width: 1, height: 1, data: Uint8ClampedArray.of(10, 20, 30, 255) };
    const canvas = paint(4, 3, [1, 2, 3], [{ kind: 'image', image, x: 2, y: 1, scale: 3 }]);
    const at = (x: number, y: number): number[] =>
      Array.from(canvas.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
    expect(at(0, 0)).toEqual([1, 2, 3, 255]);
    expect(at(2, 1)).toEqual([10, 20, 30, 255]);
    expect(at(3, 2)).toEqual([10, 20, 30, 255]);
    expect(at(1, 2)).toEqual([1, 2, 3, 255]);
    const text = paint(40, 20, [0, 0, 0], [{ kind: 'text', text: 'A', x: 0, y: 0, scale: 2, color: [255, 0, 0] }]);
    const red = Array.from({ length: 40 * 20 }, (_, i) => text.data[i * 4]).filter((v) => v === 255).length;
    expect(red).toBe(textPixels('A').length * 4);
    expect(textBox('A', 2)).toEqual({ width: textWidth('A') * 2, height: lineHeight * 2 });
  });
});

describe('pictures', () => {
  it('an explanation: the image and its heat map side by side with the caption below, as a PNG that decodes to itself', () => {
    const picture = explainPicture({
      image: digit,
      attributions: digit.pixels.map((v, i) => (i % 2 === 0 ? v : -v)),
      caption: ['predicted 1 (99.00%)', 'Integrated Gradients for 1'],
      className: '1',
    });
    expect(picture.width).toBeGreaterThanOrEqual(2 * 28 * 8);
    expect(picture.height).toBeGreaterThan(28 * 8);
    const decoded = decodePng(pngBytes(picture));
    expect(E.isRight(decoded) && [decoded.right.width, decoded.right.height]).toEqual([picture.width, picture.height]);
    expect(E.isRight(decoded) && Buffer.from(decoded.right.data).equals(Buffer.from(picture.data))).toBe(true);
  });

  it('a grid of mistakes: as many tiles as mistakes, in rows of the given columns', () => {
    const mistake = { image: digit, trueName: '1', predictedName: '7', confidence: 0.973 };
    const one = errorsGrid('title', [mistake], 3);
    const three = errorsGrid('title', [mistake, mistake, mistake], 3);
    const four = errorsGrid('title', [mistake, mistake, mistake, mistake], 3);
    expect(three.width).toBeGreaterThan(one.width);
    expect(three.height).toBe(one.height);
    expect(four.width).toBe(three.width);
    expect(four.height).toBeGreaterThan(three.height);
    expect(errorsGrid('no mistakes on the 10 test images', [], 5).width).toBeGreaterThan(0);
  });
});
