import type { Shape } from '../../core/shape.js';

/**
 * Walks an output of `outShape` in runs along its last (coalesced) axis, giving each
 * input's offset and step (0 where the input is broadcast, 1 where it is not) for the
 * run. Adjacent axes that broadcast alike are merged first, so same-shape inputs make
 * a single run and a bias add makes one run per row.
 */
export const forEachRun = (
  outShape: Shape,
  inputShapes: readonly Shape[],
  run: (outOffset: number, offsets: readonly number[], steps: readonly number[], length: number) => void,
): void => {
  const { extents, strides } = coalesce(outShape, inputShapes);
  const rank = extents.length;
  const inputs = inputShapes.length;
  if (rank === 0) {
    run(0, new Array<number>(inputs).fill(0), new Array<number>(inputs).fill(0), 1);
    return;
  }
  const length = extents[rank - 1];
  if (length === 0) return;
  const steps = strides.map((s) => s[rank - 1]);
  const offsets = new Array<number>(inputs).fill(0);
  const counter = new Array<number>(rank - 1).fill(0);
  let rows = 1;
  for (let i = 0; i < rank - 1; i++) rows *= extents[i];
  for (let r = 0; r < rows; r++) {
    run(r * length, offsets, steps, length);
    // Advance the odometer over the outer axes, moving each input's offset with it.
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis]++;
      for (let t = 0; t < inputs; t++) offsets[t] += strides[t][axis];
      if (counter[axis] < extents[axis]) break;
      for (let t = 0; t < inputs; t++) offsets[t] -= strides[t][axis] * extents[axis];
      counter[axis] = 0;
    }
  }
};

/** Element strides of each input over the output's axes (0 on broadcast axes), with mergeable axes merged. */
const coalesce = (outShape: Shape, inputShapes: readonly Shape[]): { extents: number[]; strides: number[][] } => {
  const rank = outShape.length;
  const full = inputShapes.map((shape) => {
    const offset = rank - shape.length;
    const strides = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      strides[offset + i] = shape[i] === 1 && outShape[offset + i] !== 1 ? 0 : stride;
      stride *= shape[i];
    }
    return strides;
  });
  const extents: number[] = [];
  const strides: number[][] = inputShapes.map(() => []);
  for (let axis = 0; axis < rank; axis++) {
    const extent = outShape[axis];
    if (extent === 1) continue;
    const last = extents.length - 1;
    // Axis `axis` merges into the previous kept axis when every input steps through
    // both contiguously (stride_prev = stride * extent) or broadcasts both.
    const mergeable = last >= 0 && full.every((s, t) => strides[t][last] === s[axis] * extent);
    if (mergeable) {
      extents[last] *= extent;
      full.forEach((s, t) => (strides[t][last] = s[axis]));
    } else {
      extents.push(extent);
      full.forEach((s, t) => strides[t].push(s[axis]));
    }
  }
  return { extents, strides };
};
