/**
 * Packing copies a block of an operand into the panel layout the micro-kernel streams:
 * panels of `width` lines (rows of op(A), or columns of op(B)), each stored step by step
 * along k, so that step `p` of a panel is `width` consecutive floats. Packing absorbs
 * transposes and ragged edges (missing lines read as zero), so one micro-kernel serves
 * every layout.
 *
 * Element (x, p) of the block (line x, depth p) sits at `src + 4 (x·xStride + p·pStride)`.
 * Two layouts get vector paths: lines adjacent in memory (`xStride` 1: a plain copy per
 * step) and steps adjacent in memory (`pStride` 1: a 4x4 transpose per four steps).
 */

/**
 * Packs `lines` lines of `depth` steps into `ceil(lines / width)` panels at `dst`.
 * `width` is 5 (A panels) or 8 (B panels).
 */
export function pack(src: usize, xStride: i32, pStride: i32, lines: i32, depth: i32, width: i32, dst: usize): void {
  const panelBytes = <usize>(width * depth) << 2;
  const lineBytes = <usize>xStride << 2;
  for (let x = 0; x < lines; x += width) {
    const count = min(width, lines - x);
    const from = src + <usize>x * lineBytes;
    if (count < width) gatherPanel(from, xStride, pStride, count, depth, width, dst);
    else if (xStride == 1) {
      if (width == 8) copyPanel8(from, pStride, depth, dst);
      else copyPanel5(from, pStride, depth, dst);
    } else if (pStride == 1) {
      if (width == 8) transposePanel8(from, xStride, depth, dst);
      else transposePanel5(from, xStride, depth, dst);
    } else gatherPanel(from, xStride, pStride, count, depth, width, dst);
    dst += panelBytes;
  }
}

/** Element by element, zero-filling lines `count .. width`: for edges and odd strides. */
function gatherPanel(src: usize, xStride: i32, pStride: i32, count: i32, depth: i32, width: i32, dst: usize): void {
  for (let p = 0; p < depth; p++) {
    const step = src + (<usize>(p * pStride) << 2);
    for (let x = 0; x < width; x++) {
      store<f32>(dst, x < count ? load<f32>(step + (<usize>(x * xStride) << 2)) : 0);
      dst += 4;
    }
  }
}

function copyPanel8(src: usize, pStride: i32, depth: i32, dst: usize): void {
  const stepBytes = <usize>pStride << 2;
  for (let p = 0; p < depth; p++) {
    v128.store(dst, v128.load(src));
    v128.store(dst, v128.load(src, 16), 16);
    src += stepBytes;
    dst += 32;
  }
}

function copyPanel5(src: usize, pStride: i32, depth: i32, dst: usize): void {
  const stepBytes = <usize>pStride << 2;
  for (let p = 0; p < depth; p++) {
    v128.store(dst, v128.load(src));
    store<f32>(dst, load<f32>(src, 16), 16);
    src += stepBytes;
    dst += 20;
  }
}

// The two halves of a 4x4 transpose: interleave pairs of rows, then pairs of pairs.
// V8 matches these lane patterns to single unpck/movlh/movhl instructions.
@inline export function interleaveLow(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); }
@inline export function interleaveHigh(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); }
@inline export function joinLow(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 1, 4, 5); }
@inline export function joinHigh(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 3, 6, 7); }

/** Eight lines stored along k (`pStride` 1): transposes four steps at a time. */
function transposePanel8(src: usize, xStride: i32, depth: i32, dst: usize): void {
  const line = <usize>xStride << 2;
  const r0 = src, r1 = r0 + line, r2 = r1 + line, r3 = r2 + line;
  const r4 = r3 + line, r5 = r4 + line, r6 = r5 + line, r7 = r6 + line;
  let off: usize = 0;
  let p = 0;
  for (; p + 4 <= depth; p += 4) {
    const a01l = interleaveLow(v128.load(r0 + off), v128.load(r1 + off));
    const a01h = interleaveHigh(v128.load(r0 + off), v128.load(r1 + off));
    const a23l = interleaveLow(v128.load(r2 + off), v128.load(r3 + off));
    const a23h = interleaveHigh(v128.load(r2 + off), v128.load(r3 + off));
    const b01l = interleaveLow(v128.load(r4 + off), v128.load(r5 + off));
    const b01h = interleaveHigh(v128.load(r4 + off), v128.load(r5 + off));
    const b23l = interleaveLow(v128.load(r6 + off), v128.load(r7 + off));
    const b23h = interleaveHigh(v128.load(r6 + off), v128.load(r7 + off));
    v128.store(dst, joinLow(a01l, a23l)); v128.store(dst, joinLow(b01l, b23l), 16);
    v128.store(dst, joinHigh(a01l, a23l), 32); v128.store(dst, joinHigh(b01l, b23l), 48);
    v128.store(dst, joinLow(a01h, a23h), 64); v128.store(dst, joinLow(b01h, b23h), 80);
    v128.store(dst, joinHigh(a01h, a23h), 96); v128.store(dst, joinHigh(b01h, b23h), 112);
    off += 16;
    dst += 128;
  }
  for (; p < depth; p++) {
    store<f32>(dst, load<f32>(r0 + off)); store<f32>(dst, load<f32>(r1 + off), 4);
    store<f32>(dst, load<f32>(r2 + off), 8); store<f32>(dst, load<f32>(r3 + off), 12);
    store<f32>(dst, load<f32>(r4 + off), 16); store<f32>(dst, load<f32>(r5 + off), 20);
    store<f32>(dst, load<f32>(r6 + off), 24); store<f32>(dst, load<f32>(r7 + off), 28);
    off += 4;
    dst += 32;
  }
}

/** Five lines stored along k: lines 0-3 transposed four steps at a time, line 4 lane by lane. */
function transposePanel5(src: usize, xStride: i32, depth: i32, dst: usize): void {
  const line = <usize>xStride << 2;
  const r0 = src, r1 = r0 + line, r2 = r1 + line, r3 = r2 + line, r4 = r3 + line;
  let off: usize = 0;
  let p = 0;
  for (; p + 4 <= depth; p += 4) {
    const a01l = interleaveLow(v128.load(r0 + off), v128.load(r1 + off));
    const a01h = interleaveHigh(v128.load(r0 + off), v128.load(r1 + off));
    const a23l = interleaveLow(v128.load(r2 + off), v128.load(r3 + off));
    const a23h = interleaveHigh(v128.load(r2 + off), v128.load(r3 + off));
    const last = v128.load(r4 + off);
    v128.store(dst, joinLow(a01l, a23l)); v128.store32_lane(dst, last, 0, 16);
    v128.store(dst, joinHigh(a01l, a23l), 20); v128.store32_lane(dst, last, 1, 36);
    v128.store(dst, joinLow(a01h, a23h), 40); v128.store32_lane(dst, last, 2, 56);
    v128.store(dst, joinHigh(a01h, a23h), 60); v128.store32_lane(dst, last, 3, 76);
    off += 16;
    dst += 80;
  }
  for (; p < depth; p++) {
    store<f32>(dst, load<f32>(r0 + off)); store<f32>(dst, load<f32>(r1 + off), 4);
    store<f32>(dst, load<f32>(r2 + off), 8); store<f32>(dst, load<f32>(r3 + off), 12);
    store<f32>(dst, load<f32>(r4 + off), 16);
    off += 4;
    dst += 20;
  }
}
