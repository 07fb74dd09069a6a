/**
 * Float32 add, subtract and multiply over a matrix, each operand full, one repeated
 * row (a bias), one repeated column, or one repeated value. A float32 result of these
 * ops equals the reference's double result rounded, so they run in float32 lanes.
 */
export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;

/** Four lanes of an operand at column `j`: loaded, or its one value repeated when it does not vary along rows. */
@inline function lanes(row: usize, j: i32, step: i32): v128 {
  return step != 0 ? v128.load(row + (<usize>j << 2)) : f32x4.splat(load<f32>(row));
}

@inline function at(row: usize, j: i32, step: i32): f32 {
  return load<f32>(row + (<usize>(j * step) << 2));
}

/**
 * `out[r, j] = a[r·aRow + j·aCol] op b[r·bRow + j·bCol]` over `rows` x `cols`, where the
 * column steps are 1 or 0 and a row step of 0 repeats one row.
 */
export function binary(
  op: i32, rows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize,
): void {
  const vectorEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const x = a + (<usize>(r * aRow) << 2);
    const y = b + (<usize>(r * bRow) << 2);
    const z = out + (<usize>(r * cols) << 2);
    let j = 0;
    if (op == ADD) for (; j < vectorEnd; j += 4) v128.store(z + (<usize>j << 2), f32x4.add(lanes(x, j, aCol), lanes(y, j, bCol)));
    else if (op == SUB) for (; j < vectorEnd; j += 4) v128.store(z + (<usize>j << 2), f32x4.sub(lanes(x, j, aCol), lanes(y, j, bCol)));
    else for (; j < vectorEnd; j += 4) v128.store(z + (<usize>j << 2), f32x4.mul(lanes(x, j, aCol), lanes(y, j, bCol)));
    for (; j < cols; j++) {
      const u = at(x, j, aCol), v = at(y, j, bCol);
      store<f32>(z + (<usize>j << 2), op == ADD ? u + v : op == SUB ? u - v : u * v);
    }
  }
}

/** `out[i] = max(x[i], 0)`, keeping NaN and mapping -0 to +0 as the reference does. */
export function relu(n: i32, x: usize, out: usize): void {
  const vectorEnd = n & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, f32x4.max(v128.load(x + offset), zero));
  }
  for (let i = vectorEnd; i < n; i++) {
    const offset = <usize>i << 2;
    store<f32>(out + offset, max(load<f32>(x + offset), 0));
  }
}
