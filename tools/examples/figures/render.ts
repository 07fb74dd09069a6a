import type { RgbaImage } from '@axon/explain';
import { PNG } from 'pngjs';
import type { TopLevelSpec } from 'vega-lite';

/** One chart of a row of charts (Vega-Lite's `hconcat`). */
export type ChartPanel = Extract<TopLevelSpec, { readonly hconcat: unknown }>['hconcat'][number];

/**
 * A Vega-Lite chart as an SVG document, rendered headless (as the CLI's charts are).
 *
 * @example
 * await chartSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point', encoding: { … } });
 */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile({ background: 'white', ...spec }).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * A greyscale image (0 black to 1 white) as RGBA pixels.
 *
 * @example
 * grayToRgba(28, 28, digit); // { width: 28, height: 28, data: … }
 */
export const grayToRgba = (width: number, height: number, pixels: ArrayLike<number>): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data.fill(Math.round(255 * Math.min(1, Math.max(0, pixels[i]))), i * 4, i * 4 + 3);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
};

/** One picture of a grid, with the caption under it. */
export interface Panel {
  readonly image: RgbaImage;
  readonly caption: string;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const pngDataUri = ({ width, height, data }: RgbaImage): string =>
  `data:image/png;base64,${PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) })).toString('base64')}`;

/**
 * Rows of small pixel images, each enlarged `scale` times without smoothing and
 * captioned, as one SVG document (the images inside as PNG data URIs, a few KB each,
 * where one SVG rectangle per pixel would take hundreds).
 *
 * @example
 * imageGridSvg([[{ image: digit, caption: 'a 7' }]], { scale: 4 });
 */
export const imageGridSvg = (
  rows: readonly (readonly Panel[])[],
  { scale = 4, title }: { readonly scale?: number; readonly title?: string } = {},
): string => {
  const gap = 12;
  const captionHeight = 18;
  const titleHeight = title === undefined ? 0 : 26;
  const cellWidth = Math.max(...rows.flat().map((panel) => panel.image.width)) * scale;
  const cellHeight = Math.max(...rows.flat().map((panel) => panel.image.height)) * scale;
  const columns = Math.max(...rows.map((row) => row.length));
  const width = gap + columns * (cellWidth + gap);
  const height = titleHeight + gap + rows.length * (cellHeight + captionHeight + gap);
  const text = (x: number, y: number, content: string, size: number): string =>
    `<text x="${x}" y="${y}" font-family="sans-serif" font-size="${size}" text-anchor="middle">${escapeXml(content)}</text>`;
  const panels = rows.flatMap((row, r) =>
    row.map(({ image, caption }, c) => {
      const x = gap + c * (cellWidth + gap);
      const y = titleHeight + gap + r * (cellHeight + captionHeight + gap);
      return [
        `<image x="${x}" y="${y}" width="${image.width * scale}" height="${image.height * scale}" style="image-rendering:pixelated" href="${pngDataUri(image)}"/>`,
        text(x + cellWidth / 2, y + cellHeight + 14, caption, 12),
      ].join('\n');
    }),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...(title === undefined ? [] : [text(width / 2, 20, title, 14)]),
    ...panels,
    '</svg>',
    '',
  ].join('\n');
};
