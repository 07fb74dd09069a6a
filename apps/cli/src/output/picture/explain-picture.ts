import { heatMap, type GrayImage, type RgbaImage } from '@axon/explain';
import { paint, textBox, type Drawing, type Rgb } from './canvas.js';
import { grayToRgba } from './gray.js';

/** What the picture of an explanation shows. */
export interface ExplainPictureContent {
  readonly image: GrayImage;
  readonly attributions: ArrayLike<number>;
  /** Lines under the pictures, e.g. `predicted 7 (99.12%), true class 7`. */
  readonly caption: readonly string[];
  /** The explained class's name, for the legend. */
  readonly className: string;
}

const white: Rgb = [235, 235, 235];
const red: Rgb = [230, 40, 40];
const blue: Rgb = [70, 140, 255];

/**
 * The picture `axon explain --out` writes: the image as it is on the left, the
 * attribution over it as a heat map on the right (red for the class, blue against),
 * each pixel 8 × 8, with the caption and a legend below in a pixel font.
 *
 * @example
 * const png = pngBytes(explainPicture({ image, attributions, caption: ['predicted 7 (99.12%)'], className: '7' }));
 */
export function explainPicture(content: ExplainPictureContent): RgbaImage {
  const { image, attributions, caption, className } = content;
  const pixel = Math.max(1, Math.round(224 / Math.max(image.width, image.height)));
  const margin = 16;
  const textScale = 2;
  const panelWidth = image.width * pixel;
  const panelHeight = image.height * pixel;
  const legend: readonly [string, Rgb][] = [
    [`red: for ${className}`, red],
    ['   ', white],
    ['blue: against', blue],
  ];
  const lineStep = textBox('', textScale).height + 4;
  const textWidths = [
    ...caption.map((line) => textBox(line, textScale).width),
    textBox(legend.map(([text]) => text).join(''), textScale).width,
  ];
  const width = Math.max(2 * panelWidth + 3 * margin, Math.max(...textWidths) + 2 * margin);
  const textTop = margin + panelHeight + margin;
  const height = textTop + (caption.length + 1) * lineStep + margin / 2;
  let legendX = margin;
  const legendDrawings: Drawing[] = legend.map(([text, color]) => {
    const drawing: Drawing = {
      kind: 'text',
      text,
      x: legendX,
      y: textTop + caption.length * lineStep,
      scale: textScale,
      color,
    };
    legendX += textBox(text, textScale).width;
    return drawing;
  });
  return paint(
    width,
    height,
    [0, 0, 0],
    [
      { kind: 'image', image: grayToRgba(image), x: margin, y: margin, scale: pixel },
      { kind: 'image', image: heatMap(image, attributions), x: 2 * margin + panelWidth, y: margin, scale: pixel },
      ...caption.map((text, i): Drawing => ({
        kind: 'text',
        text,
        x: margin,
        y: textTop + i * lineStep,
        scale: textScale,
        color: white,
      })),
      ...legendDrawings,
    ],
  );
}
