/**
 * A convolution's or pooling's geometry (the host's `Conv2DGeometry`), as the host writes
 * it into memory: fifteen int32 fields at one address, which jobs pass as one argument.
 */

export const BATCH = 0, IN_HEIGHT = 1, IN_WIDTH = 2, IN_CHANNELS = 3, OUT_HEIGHT = 4, OUT_WIDTH = 5, OUT_CHANNELS = 6;
export const FILTER_HEIGHT = 7, FILTER_WIDTH = 8, STRIDE_HEIGHT = 9, STRIDE_WIDTH = 10;
export const DILATION_HEIGHT = 11, DILATION_WIDTH = 12, PAD_TOP = 13, PAD_LEFT = 14;
/** Fields of a geometry record. */
export const GEOMETRY_FIELDS: i32 = 15;

// The geometry of the posted job as this thread sees it, read once per job (module
// globals are per instance, so each thread has its own).
export let inHeight: i32, inWidth: i32, inChannels: i32, outHeight: i32, outWidth: i32, outChannels: i32;
export let filterHeight: i32, filterWidth: i32, strideHeight: i32, strideWidth: i32;
export let dilationHeight: i32, dilationWidth: i32, padTop: i32, padLeft: i32;

@inline function field(at: usize, i: i32): i32 {
  return load<i32>(at + (<usize>i << 2));
}

/** Reads the geometry record at `at` into this thread's globals. */
export function readGeometry(at: usize): void {
  inHeight = field(at, IN_HEIGHT); inWidth = field(at, IN_WIDTH); inChannels = field(at, IN_CHANNELS);
  outHeight = field(at, OUT_HEIGHT); outWidth = field(at, OUT_WIDTH); outChannels = field(at, OUT_CHANNELS);
  filterHeight = field(at, FILTER_HEIGHT); filterWidth = field(at, FILTER_WIDTH);
  strideHeight = field(at, STRIDE_HEIGHT); strideWidth = field(at, STRIDE_WIDTH);
  dilationHeight = field(at, DILATION_HEIGHT); dilationWidth = field(at, DILATION_WIDTH);
  padTop = field(at, PAD_TOP); padLeft = field(at, PAD_LEFT);
}
