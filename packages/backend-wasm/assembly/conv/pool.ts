/**
 * Max and average pooling over NHWC images and their gradients, as the reference
 * backend computes them: a max window routes to its first maximum (row-major within the
 * window; a NaN counts as the maximum, so it propagates), an average divides by the
 * window's in-bounds elements (padding is not counted). Tasks are whole images, each
 * summing in a fixed order, so results are identical whatever the number of threads.
 */
import { control, intArg, NEXT_TASK, setIntArg } from '../threads/control';
import { loadLanes, storeLanes } from '../elementwise/partial-vector';
import {
  BATCH, dilationHeight, dilationWidth, filterHeight, filterWidth, inChannels, inHeight, inWidth, outHeight, outWidth,
  padLeft, padTop, readGeometry, strideHeight, strideWidth,
} from './geometry';

/** Each window's maximum (`a`: x). */
export const MAX_POOL: i32 = 0;
/** `dx` (shaped like x): each `dy` element added to its window's first maximum (`a`: dy, `b`: x). */
export const MAX_POOL_GRAD: i32 = 1;
/** For each window of x, the element of `values` at its first maximum (`a`: values, `b`: x). */
export const MAX_POOL_GRAD_GRAD: i32 = 2;
/** Each window's mean over its in-bounds elements (`a`: x). */
export const AVG_POOL: i32 = 3;
/** `dx`: each `dy` element divided evenly among its window's in-bounds elements (`a`: dy). */
export const AVG_POOL_GRAD: i32 = 4;

const GEOMETRY = 0, MODE = 1, A = 2, B = 3, OUT = 4;

/** Writes a pooling job of kind `mode` over every image of the geometry's batch. */
export function writePoolJob(geometry: usize, mode: i32, a: usize, b: usize, out: usize): void {
  setIntArg(GEOMETRY, <i32>geometry); setIntArg(MODE, mode); setIntArg(A, <i32>a); setIntArg(B, <i32>b); setIntArg(OUT, <i32>out);
  store<i32>(control + NEXT_TASK, 0);
}

/** Claims and runs tasks of the posted pooling job: one image each. */
export function poolWork(): void {
  const geometry = <usize>intArg(GEOMETRY);
  readGeometry(geometry);
  const images = load<i32>(geometry + (<usize>BATCH << 2));
  const mode = intArg(MODE);
  const a = <usize>intArg(A), b = <usize>intArg(B), out = <usize>intArg(OUT);
  const inImage = <usize>(inHeight * inWidth * inChannels) << 2;
  const outImage = <usize>(outHeight * outWidth * inChannels) << 2;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < images; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const inAt = <usize>task * inImage, outAt = <usize>task * outImage;
    if (mode == MAX_POOL && tiles()) maxTiles(mode, a + inAt, a + inAt, out + outAt);
    else if (mode == MAX_POOL_GRAD && tiles()) maxTiles(mode, a + outAt, b + inAt, out + inAt);
    else if (mode == MAX_POOL) maxImage(mode, a + inAt, a + inAt, out + outAt);
    else if (mode == MAX_POOL_GRAD) maxImage(mode, a + outAt, b + inAt, out + inAt);
    else if (mode == MAX_POOL_GRAD_GRAD) maxImage(mode, a + inAt, b + inAt, out + outAt);
    else if (mode == AVG_POOL) avgImage(a + inAt, out + outAt);
    else avgGradImage(a + outAt, out + inAt);
  }
}

/** Byte offsets of four consecutive float32 lanes. */
const LANE_BYTES = i32x4(0, 4, 8, 12);

/**
 * One image of a max-pooling kind: for every output element, the byte offset within the
 * image of its window's first maximum in `x` decides what is read or added. Four
 * channels go at a time: a lane takes a tap's value when it is greater than the lane's
 * best, or a NaN over a number, which is the reference's scalar rule lane by lane.
 */
function maxImage(mode: i32, values: usize, x: usize, out: usize): void {
  if (mode == MAX_POOL_GRAD) memory.fill(out, 0, <usize>(inHeight * inWidth * inChannels) << 2);
  const runBytes = <usize>inChannels << 2;
  const vectorChannels = inChannels & ~3;
  let o = <usize>0;
  for (let oy = 0; oy < outHeight; oy++) {
    const top = oy * strideHeight - padTop;
    for (let ox = 0; ox < outWidth; ox++) {
      const left = ox * strideWidth - padLeft;
      for (let c = 0; c < vectorChannels; c += 4) {
        const channel = <usize>c << 2;
        let best = f32x4.splat(0);
        let at = i32x4.splat(0);
        let first = true;
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = top + kh * dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = left + kw * dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const offset = <usize>(iy * inWidth + ix) * runBytes + channel;
            const v = v128.load(x + offset);
            const offsets = i32x4.add(i32x4.splat(<i32>offset), LANE_BYTES);
            if (first) {
              best = v;
              at = offsets;
              first = false;
            } else {
              const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(offsets, at, take);
            }
          }
        }
        if (mode == MAX_POOL) v128.store(out + o, best);
        else if (mode == MAX_POOL_GRAD) {
          addAt(out, i32x4.extract_lane(at, 0), load<f32>(values + o));
          addAt(out, i32x4.extract_lane(at, 1), load<f32>(values + o + 4));
          addAt(out, i32x4.extract_lane(at, 2), load<f32>(values + o + 8));
          addAt(out, i32x4.extract_lane(at, 3), load<f32>(values + o + 12));
        } else {
          store<f32>(out + o, load<f32>(values + <usize>i32x4.extract_lane(at, 0)));
          store<f32>(out + o + 4, load<f32>(values + <usize>i32x4.extract_lane(at, 1)));
          store<f32>(out + o + 8, load<f32>(values + <usize>i32x4.extract_lane(at, 2)));
          store<f32>(out + o + 12, load<f32>(values + <usize>i32x4.extract_lane(at, 3)));
        }
        o += 16;
      }
      for (let c = vectorChannels; c < inChannels; c++) {
        const channel = <usize>c << 2;
        let best: f32 = 0;
        let at: usize = 0;
        let first = true;
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = top + kh * dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = left + kw * dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const offset = <usize>(iy * inWidth + ix) * runBytes + channel;
            const v = load<f32>(x + offset);
            if (first || v > best || (v != v && best == best)) {
              best = v;
              at = offset;
            }
            first = false;
          }
        }
        if (mode == MAX_POOL) store<f32>(out + o, best);
        else if (mode == MAX_POOL_GRAD) addAt(out, <i32>at, load<f32>(values + o));
        else store<f32>(out + o, load<f32>(values + at));
        o += 4;
      }
    }
  }
}

/**
 * True when the windows tile the image without overlap or padding (stride equal to the
 * window, no dilation, no padding: Keras's default pooling) and channels come in fours:
 * then each input element is in at most one window. `same` padding that pads only after
 * the image (an odd size) also has `padTop` and `padLeft` 0, but its last windows reach
 * past the image, so the windows must fit too.
 */
@inline function tiles(): bool {
  return strideHeight == filterHeight && strideWidth == filterWidth && dilationHeight == 1 && dilationWidth == 1 &&
    padTop == 0 && padLeft == 0 && outHeight * filterHeight <= inHeight && outWidth * filterWidth <= inWidth &&
    (inChannels & 3) == 0;
}

/**
 * {@link maxImage} for windows that tile the image: the same maximum, first maximum and
 * NaN rule, lane by lane. The gradient needs no zero fill and no scattered adds: every
 * element of a window is written once, `0 + dy` at its first maximum (the reference adds
 * `dy` onto a zero, which turns −0 into +0) and 0 elsewhere; only the rows and columns
 * no window covers are zeroed.
 */
function maxTiles(mode: i32, values: usize, x: usize, out: usize): void {
  const runBytes = <usize>inChannels << 2;
  const rowBytes = <usize>inWidth * runBytes;
  const zero = f32x4.splat(0);
  if (mode == MAX_POOL_GRAD) {
    // Rows below the last window, then the columns right of it in the covered rows.
    const coveredRows = outHeight * filterHeight, coveredCols = outWidth * filterWidth;
    memory.fill(out + <usize>coveredRows * rowBytes, 0, <usize>(inHeight - coveredRows) * rowBytes);
    if (coveredCols < inWidth)
      for (let iy = 0; iy < coveredRows; iy++)
        memory.fill(out + <usize>iy * rowBytes + <usize>coveredCols * runBytes, 0, <usize>(inWidth - coveredCols) * runBytes);
  }
  let o = <usize>0;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const corner = <usize>(oy * filterHeight) * rowBytes + <usize>(ox * filterWidth) * runBytes;
      for (let channel = <usize>0; channel < runBytes; channel += 16) {
        const window = corner + channel;
        let best = v128.load(x + window);
        // The tap (row-major within the window) of each lane's first maximum.
        let at = i32x4.splat(0);
        let tap = 0;
        for (let kh = 0; kh < filterHeight; kh++) {
          for (let kw = 0; kw < filterWidth; kw++) {
            if (tap > 0) {
              const v = v128.load(x + window + <usize>kh * rowBytes + <usize>kw * runBytes);
              const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(i32x4.splat(tap), at, take);
            }
            tap++;
          }
        }
        if (mode == MAX_POOL) v128.store(out + o, best);
        else {
          const dy = f32x4.add(zero, v128.load(values + o));
          tap = 0;
          for (let kh = 0; kh < filterHeight; kh++) {
            for (let kw = 0; kw < filterWidth; kw++) {
              const target = out + window + <usize>kh * rowBytes + <usize>kw * runBytes;
              v128.store(target, v128.and(dy, i32x4.eq(at, i32x4.splat(tap))));
              tap++;
            }
          }
        }
        o += 16;
      }
    }
  }
}

@inline function addAt(base: usize, offset: i32, value: f32): void {
  const at = base + <usize>offset;
  store<f32>(at, load<f32>(at) + value);
}

/** In-bounds taps of the window of output pixel `(oy, ox)`. */
@inline function windowCount(oy: i32, ox: i32): i32 {
  let rows = 0, cols = 0;
  const top = oy * strideHeight - padTop, left = ox * strideWidth - padLeft;
  for (let kh = 0; kh < filterHeight; kh++) {
    const iy = top + kh * dilationHeight;
    if (iy >= 0 && iy < inHeight) rows++;
  }
  for (let kw = 0; kw < filterWidth; kw++) {
    const ix = left + kw * dilationWidth;
    if (ix >= 0 && ix < inWidth) cols++;
  }
  return rows * cols;
}

/**
 * One image of average pooling: each window's sum in tap order over its count, four
 * channels at a time in float32 (the reference sums in float64; the difference is a
 * rounding per tap).
 */
function avgImage(x: usize, out: usize): void {
  const runBytes = <usize>inChannels << 2;
  const vectorChannels = inChannels & ~3;
  let o = <usize>0;
  for (let oy = 0; oy < outHeight; oy++) {
    const top = oy * strideHeight - padTop;
    for (let ox = 0; ox < outWidth; ox++) {
      const left = ox * strideWidth - padLeft;
      const count = <f32>windowCount(oy, ox);
      for (let c = 0; c < inChannels; c += 4) {
        const lanes = min(4, inChannels - c);
        const channel = <usize>c << 2;
        let sum = f32x4.splat(0);
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = top + kh * dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = left + kw * dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const at = x + <usize>(iy * inWidth + ix) * runBytes + channel;
            sum = f32x4.add(sum, c < vectorChannels ? v128.load(at) : loadLanes(at, lanes));
          }
        }
        const mean = f32x4.div(sum, f32x4.splat(count));
        if (c < vectorChannels) v128.store(out + o, mean);
        else storeLanes(out + o, mean, lanes);
        o += <usize>lanes << 2;
      }
    }
  }
}

/** One image of average pooling's gradient: each `dy` element over its window's count, added to the window's elements. */
function avgGradImage(dy: usize, dx: usize): void {
  memory.fill(dx, 0, <usize>(inHeight * inWidth * inChannels) << 2);
  const runBytes = <usize>inChannels << 2;
  const vectorChannels = inChannels & ~3;
  let o = <usize>0;
  for (let oy = 0; oy < outHeight; oy++) {
    const top = oy * strideHeight - padTop;
    for (let ox = 0; ox < outWidth; ox++) {
      const left = ox * strideWidth - padLeft;
      const count = <f32>windowCount(oy, ox);
      const counts = f32x4.splat(count);
      for (let kh = 0; kh < filterHeight; kh++) {
        const iy = top + kh * dilationHeight;
        if (iy < 0 || iy >= inHeight) continue;
        for (let kw = 0; kw < filterWidth; kw++) {
          const ix = left + kw * dilationWidth;
          if (ix < 0 || ix >= inWidth) continue;
          const at = dx + <usize>(iy * inWidth + ix) * runBytes;
          let c = 0;
          for (; c < vectorChannels; c += 4) {
            const channel = <usize>c << 2;
            v128.store(at + channel, f32x4.add(v128.load(at + channel), f32x4.div(v128.load(dy + o + channel), counts)));
          }
          for (; c < inChannels; c++) {
            const channel = <usize>c << 2;
            store<f32>(at + channel, load<f32>(at + channel) + load<f32>(dy + o + channel) / count);
          }
        }
      }
      o += runBytes;
    }
  }
}
