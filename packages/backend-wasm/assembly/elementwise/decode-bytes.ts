/**
 * Byte-coded values decoded (`@axon/tensor`'s `ByteCodedStorage`): how the rows of an
 * 8-bit data set become a float32 training batch. A table look-up, so the values are the
 * table's bit for bit; four codes per load.
 */

/** `out[i] = table[codes[i]]` for `i < n`: `table` holds 256 float32 values. */
export function decodeBytes(codes: usize, table: usize, out: usize, n: i32): void {
  const whole = n & ~3;
  for (let i = 0; i < whole; i += 4) {
    const four = load<u32>(codes + <usize>i);
    const at = out + (<usize>i << 2);
    store<f32>(at, load<f32>(table + ((<usize>four & 255) << 2)));
    store<f32>(at, load<f32>(table + ((<usize>(four >>> 8) & 255) << 2)), 4);
    store<f32>(at, load<f32>(table + ((<usize>(four >>> 16) & 255) << 2)), 8);
    store<f32>(at, load<f32>(table + (<usize>(four >>> 24) << 2)), 12);
  }
  for (let i = whole; i < n; i++) {
    store<f32>(out + (<usize>i << 2), load<f32>(table + (<usize>load<u8>(codes + <usize>i) << 2)));
  }
}
