/**
 * The two memory-bound halves of a convolution computed as matrix products (im2col):
 * writing each output pixel's patch of the input as a row (`[pixels, taps]`, tap
 * `(kh, kw, c)` at `(kh·fw + kw)·inChannels + c`, so the NHWC kernel `[fh, fw, in, out]`
 * is already the `[taps, out]` matrix), and adding a patch-gradient matrix back onto the
 * input elements each row was read from (col2im). The products themselves are the GEMM
 * job's.
 *
 * Patches are cut into tasks of one output row of one image; col2im into tasks of one
 * image, each summing its pixels in a fixed order, so results are identical whatever the
 * number of threads.
 */
import { control, intArg, NEXT_TASK, setIntArg } from '../threads/control';
import {
  dilationHeight, dilationWidth, filterHeight, filterWidth, inChannels, inHeight, inWidth, outHeight, outWidth,
  padLeft, padTop, readGeometry, strideHeight, strideWidth,
} from './geometry';

const GEOMETRY = 0, SOURCE = 1, TARGET = 2, FIRST_IMAGE = 3, IMAGES = 4;

/**
 * Writes a patches job (`toPatches`) or a col2im job: images `firstImage ..
 * firstImage + images − 1` of the batch, whose patch rows start at `target` (patches) or
 * `source` (col2im); the images themselves are addressed from the batch's start.
 */
export function writePatchesJob(geometry: usize, source: usize, target: usize, firstImage: i32, images: i32): void {
  setIntArg(GEOMETRY, <i32>geometry); setIntArg(SOURCE, <i32>source); setIntArg(TARGET, <i32>target);
  setIntArg(FIRST_IMAGE, firstImage); setIntArg(IMAGES, images);
  store<i32>(control + NEXT_TASK, 0);
}

/**
 * Copies `count` floats, four lanes at a time: runs here are short (a window row of
 * channels, 3 to a few hundred floats), where `memory.copy`'s call costs more than the copy.
 */
@inline function copyFloats(dst: usize, src: usize, count: i32): void {
  let c = 0;
  for (; c + 4 <= count; c += 4) {
    const at = <usize>c << 2;
    v128.store(dst + at, v128.load(src + at));
  }
  for (; c < count; c++) {
    const at = <usize>c << 2;
    store<f32>(dst + at, load<f32>(src + at));
  }
}

/** `dst[c] += src[c]` for `count` floats, four lanes at a time. */
@inline function addFloats(dst: usize, src: usize, count: i32): void {
  let c = 0;
  for (; c + 4 <= count; c += 4) {
    const at = <usize>c << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; c < count; c++) {
    const at = <usize>c << 2;
    store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
  }
}

/** Claims and runs tasks of the posted patches job: one output row of one image each. */
export function patchesWork(): void {
  readGeometry(<usize>intArg(GEOMETRY));
  const x = <usize>intArg(SOURCE), patches = <usize>intArg(TARGET), firstImage = intArg(FIRST_IMAGE);
  const tasks = intArg(IMAGES) * outHeight;
  const taps = filterHeight * filterWidth * inChannels;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const local = task / outHeight, oy = task % outHeight;
    const image = x + <usize>(firstImage + local) * <usize>(inHeight * inWidth * inChannels) * 4;
    writePatchRows(image, oy, outWidth, patches + <usize>(task * outWidth) * <usize>taps * 4);
  }
}

/**
 * Writes the patches of output pixels `(oy, 0 .. columns − 1)` of the image at `image`
 * as consecutive rows at `row`, for the geometry this thread has read.
 */
export function writePatchRows(image: usize, oy: i32, columns: i32, row: usize): void {
  const taps = filterHeight * filterWidth * inChannels;
  const runBytes = <usize>inChannels << 2;
  const top = oy * strideHeight - padTop;
  for (let ox = 0; ox < columns; ox++) {
    const left = ox * strideWidth - padLeft;
    // With no dilation, a window row inside the image is one contiguous run of the input.
    const wholeRows = dilationWidth == 1 && left >= 0 && left + filterWidth <= inWidth;
    let dst = row;
    for (let kh = 0; kh < filterHeight; kh++) {
      const iy = top + kh * dilationHeight;
      const rowInside = iy >= 0 && iy < inHeight;
      if (rowInside && wholeRows) {
        copyFloats(dst, image + <usize>(iy * inWidth + left) * runBytes, filterWidth * inChannels);
        dst += <usize>filterWidth * runBytes;
        continue;
      }
      for (let kw = 0; kw < filterWidth; kw++) {
        const ix = left + kw * dilationWidth;
        // Padding reads as zeros.
        if (rowInside && ix >= 0 && ix < inWidth) copyFloats(dst, image + <usize>(iy * inWidth + ix) * runBytes, inChannels);
        else memory.fill(dst, 0, runBytes);
        dst += runBytes;
      }
    }
    row += <usize>taps << 2;
  }
}

/**
 * Claims and runs tasks of the posted col2im job: for one image each, the image's
 * gradient is zeroed, then every patch-gradient row of its pixels is added onto the
 * input elements it was read from, pixel by pixel and tap by tap.
 */
export function col2imWork(): void {
  readGeometry(<usize>intArg(GEOMETRY));
  const patchGrads = <usize>intArg(SOURCE), dx = <usize>intArg(TARGET), firstImage = intArg(FIRST_IMAGE);
  const tasks = intArg(IMAGES);
  const taps = filterHeight * filterWidth * inChannels;
  const runBytes = <usize>inChannels << 2;
  const imageBytes = <usize>(inHeight * inWidth) * runBytes;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const image = dx + <usize>(firstImage + task) * imageBytes;
    memory.fill(image, 0, imageBytes);
    let src = patchGrads + <usize>(task * outHeight * outWidth) * <usize>taps * 4;
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * strideHeight - padTop;
      for (let ox = 0; ox < outWidth; ox++) {
        const left = ox * strideWidth - padLeft;
        // As in the patches: a window row inside the image is one run. Each tap adds onto
        // its own input element, so adding the run at once keeps every element's order.
        const wholeRows = dilationWidth == 1 && left >= 0 && left + filterWidth <= inWidth;
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = top + kh * dilationHeight;
          const rowInside = iy >= 0 && iy < inHeight;
          if (rowInside && wholeRows) {
            addFloats(image + <usize>(iy * inWidth + left) * runBytes, src, filterWidth * inChannels);
            src += <usize>filterWidth * runBytes;
            continue;
          }
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = left + kw * dilationWidth;
            if (rowInside && ix >= 0 && ix < inWidth) addFloats(image + <usize>(iy * inWidth + ix) * runBytes, src, inChannels);
            src += runBytes;
          }
        }
      }
    }
  }
}
