import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where the browser tests leave screenshots (kept by CI as artifacts; ignored by git). */
export const artifactsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
mkdirSync(artifactsDir, { recursive: true });

/** A stroke on the pad, as points in the pad's own 280×280 coordinates. */
export type Stroke = readonly (readonly [number, number])[];

const ellipse = (cx: number, cy: number, rx: number, ry: number, points = 36): Stroke =>
  Array.from(
    { length: points + 1 },
    (_, i) => [cx + rx * Math.sin((2 * Math.PI * i) / points), cy - ry * Math.cos((2 * Math.PI * i) / points)] as const,
  );

/** How a person might draw a 1, a 7 and a 0 with a mouse. */
export const digitStrokes: Readonly<Record<'1' | '7' | '0', readonly Stroke[]>> = {
  '1': [
    [
      [150, 40],
      [128, 240],
    ],
  ],
  '7': [
    [
      [70, 50],
      [210, 50],
      [120, 240],
    ],
  ],
  '0': [ellipse(140, 140, 62, 95)],
};

/** Draws strokes on the page's pad with the mouse (pointer events, as a person's would be). */
export const drawOnPad = async (page: Page, strokes: readonly Stroke[]): Promise<void> => {
  const box = await page.getByTestId('digit-pad').boundingBox();
  if (box === null) throw new Error('the digit pad is not visible');
  const at = ([x, y]: readonly [number, number]) =>
    [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 6 });
    await page.mouse.up();
  }
};
