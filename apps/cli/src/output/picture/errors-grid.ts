import type { GrayImage, RgbaImage } from '@axon/explain';
import { paint, textBox, type Drawing, type Rgb } from './canvas.js';
import { grayToRgba } from './gray.js';

/** One mistake: the image, its true class, and what the model said instead, how sure. */
export interface Mistake {
  readonly image: GrayImage;
  readonly trueName: string;
  readonly predictedName: string;
  /** The probability the model gave its (wrong) prediction. */
  readonly confidence: number;
}

const white: Rgb = [235, 235, 235];
const green: Rgb = [110, 220, 110];
const red: Rgb = [240, 90, 90];

/** The two label lines of a tile. */
const labelsOf = (mistake: Mistake): readonly [string, Rgb][] => [
  [`true ${mistake.trueName}`, green],
  [`said ${mistake.predictedName} ${(mistake.confidence * 100).toFixed(1)}%`, red],
];

/**
 * The picture `axon evaluate --errors` writes: a title, then the mistakes in rows of
 * `columns`, each image 4 pixels per pixel with its true class (green) and the model's
 * prediction and confidence (red) below, in a pixel font.
 *
 * @example
 * const png = pngBytes(errorsGrid('the 25 most confident mistakes of 10,000', mistakes, 5));
 */
export function errorsGrid(title: string, mistakes: readonly Mistake[], columns: number): RgbaImage {
  const margin = 16;
  const gap = 16;
  const textScale = 2;
  const pixel = 4;
  const lineStep = textBox('', textScale).height + 2;
  const imageWidth = Math.max(1, ...mistakes.map((m) => m.image.width)) * pixel;
  const imageHeight = Math.max(1, ...mistakes.map((m) => m.image.height)) * pixel;
  const tileWidth = Math.max(
    imageWidth,
    ...mistakes.flatMap((m) => labelsOf(m).map(([text]) => textBox(text, textScale).width)),
  );
  const tileHeight = imageHeight + 6 + 2 * lineStep;
  const rows = Math.ceil(mistakes.length / columns);
  const used = Math.max(1, Math.min(columns, mistakes.length));
  const gridTop = margin + lineStep + gap;
  const width = Math.max(
    2 * margin + used * tileWidth + (used - 1) * gap,
    2 * margin + textBox(title, textScale).width,
  );
  const height = gridTop + rows * tileHeight + Math.max(0, rows - 1) * gap + margin;
  const tiles = mistakes.flatMap((mistake, i): Drawing[] => {
    const x = margin + (i % columns) * (tileWidth + gap);
    const y = gridTop + Math.floor(i / columns) * (tileHeight + gap);
    return [
      { kind: 'image', image: grayToRgba(mistake.image), x, y, scale: pixel },
      ...labelsOf(mistake).map(([text, color], line): Drawing => ({
        kind: 'text',
        text,
        x,
        y: y + imageHeight + 6 + line * lineStep,
        scale: textScale,
        color,
      })),
    ];
  });
  return paint(
    width,
    height,
    [0, 0, 0],
    [{ kind: 'text', text: title, x: margin, y: margin, scale: textScale, color: white }, ...tiles],
  );
}
