/** A shape in the unit square: whether point (u, v) is ink. */
export type Shape = (u: number, v: number) => boolean;

const distanceToSegment = (u: number, v: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number => {
  const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(u - ax - t * (bx - ax), v - ay - t * (by - ay));
};

/** A handwritten-looking seven: a bar across the top and a slanted stroke down. */
export const seven: Shape = (u, v) =>
  distanceToSegment(u, v, [0.15, 0.12], [0.85, 0.12]) < 0.08 ||
  distanceToSegment(u, v, [0.85, 0.12], [0.4, 0.92]) < 0.08;

/** A zero: an elliptical ring. */
export const zero: Shape = (u, v) => {
  const r = Math.hypot((u - 0.5) / 0.3, (v - 0.5) / 0.45);
  return r > 0.72 && r < 1;
};

/** A one: a single slanted stroke, much taller than wide. */
export const one: Shape = (u, v) => distanceToSegment(u, v, [0.55, 0.05], [0.45, 0.95]) < 0.06;

/** Where a shape is drawn on a canvas, in pixels. */
export interface Placement {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly size: number;
}

/**
 * How much of each pixel the shape covers (0–1), by 4×4 supersampling, with the
 * shape's unit square drawn at `left, top` with side `size`.
 *
 * @example
 * ```ts
 * coverage(one, { width: 40, height: 40, left: 5, top: 5, size: 30 }); // Float64Array(1600)
 * ```
 */
export function coverage(shape: Shape, { width, height, left, top, size }: Placement): Float64Array {
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++)
          hits += shape((x + (sx + 0.5) / 4 - left) / size, (y + (sy + 0.5) / 4 - top) / size) ? 1 : 0;
      }
      out[y * width + x] = hits / 16;
    }
  }
  return out;
}

/** RGBA bytes from a colour per pixel. */
export function rgba(count: number, colour: (i: number) => readonly [number, number, number, number]): Uint8Array {
  const data = new Uint8Array(4 * count);
  for (let i = 0; i < count; i++) data.set(colour(i), 4 * i);
  return data;
}

/** A grey level 0–255 as an opaque RGBA colour. */
export const opaqueGrey = (level: number): readonly [number, number, number, number] => {
  const g = Math.round(level);
  return [g, g, g, 255];
};
