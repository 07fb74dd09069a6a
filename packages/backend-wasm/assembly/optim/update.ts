/**
 * A whole optimizer step in one job: a list of stages (see `UpdateStage` in
 * @axon/tensor) applied to every parameter, each chunk of elements passing through all
 * stages while it is in cache. The running update lives in the new parameter's buffer:
 * the first stage reads the gradient and writes there, later stages read and rewrite it,
 * and the end adds the old parameter.
 *
 * Every stage rounds exactly as the ops it replaces do: float32 arithmetic (one
 * rounding per op, which float32 lanes give) with hyper-parameters rounded to float32
 * first, and Adam exactly as its own kernel. So the result equals the
 * op-by-op update bit for bit, whatever the thread count (each element is computed by
 * one task, on its own).
 *
 * The job's table, written by the host (`src/kernels/update.ts`), at the address in
 * integer argument TABLE:
 * - `stageCount` stages of STAGE_BYTES: kind (i32), first slot (i32), flag (i32), then
 *   up to five f64 parameters from byte 16;
 * - then `tensorCount` rows of `5 + 2·slotCount` i32: element count, first task, the
 *   param, gradient and new param addresses, the slots' addresses, the new slots'.
 */
import { adamRange } from '../elementwise/adam';
import { control, intArg, NEXT_TASK, setIntArg } from '../threads/control';

// Stage kinds, numbered as src/kernels/codes.ts numbers them.
const SCALE: i32 = 0;
const DECAY: i32 = 1;
const ADAM: i32 = 2;
const TRACE: i32 = 3;
const RMS: i32 = 4;
const ADAGRAD: i32 = 5;

export const STAGE_BYTES: i32 = 64;
/** Elements per task: the chunk's streams (up to six of them) stay in L1 and L2 across the stages. */
export const UPDATE_CHUNK: i32 = 2048;

const TABLE = 0, STAGES = 1, TENSORS = 2, SLOTS = 3, TASKS = 4;

/** Posts an update job over the table at `table` (see the file's comment). */
export function writeUpdateJob(table: usize, stageCount: i32, tensorCount: i32, slotCount: i32, tasks: i32): void {
  setIntArg(TABLE, <i32>table); setIntArg(STAGES, stageCount); setIntArg(TENSORS, tensorCount);
  setIntArg(SLOTS, slotCount); setIntArg(TASKS, tasks);
  store<i32>(control + NEXT_TASK, 0);
}

/** Claims and runs chunks of the posted update until none is left. */
export function updateWork(): void {
  const table = <usize>intArg(TABLE);
  const stageCount = intArg(STAGES), tensorCount = intArg(TENSORS), slotCount = intArg(SLOTS), tasks = intArg(TASKS);
  const tensors = table + <usize>(stageCount * STAGE_BYTES);
  const rowBytes = <usize>(5 + 2 * slotCount) << 2;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    // The tensor whose chunks include this task: rows are in task order.
    let row = tensors;
    for (let t = 1; t < tensorCount && load<i32>(row + rowBytes, 4) <= task; t++) row += rowBytes;
    const size = load<i32>(row);
    const start = (task - load<i32>(row, 4)) * UPDATE_CHUNK;
    const n = min(UPDATE_CHUNK, size - start);
    const at = <usize>start << 2;
    const param = <usize>load<i32>(row, 8) + at, grad = <usize>load<i32>(row, 12) + at, out = <usize>load<i32>(row, 16) + at;
    let source = grad;
    for (let s = 0; s < stageCount; s++) {
      runStage(table + <usize>(s * STAGE_BYTES), n, source, out, param, row, slotCount, at);
      source = out;
    }
    // With no stage the update is the gradient itself.
    addInto(n, source, param, out);
  }
}

@inline function parameter(stage: usize, i: i32): f64 {
  return load<f64>(stage + 16 + (<usize>i << 3));
}

/** Where slot `index` of a row's tensor starts, at element offset `at` bytes; `fresh` for the new slot. */
@inline function slotAt(row: usize, slotCount: i32, index: i32, fresh: bool, at: usize): usize {
  const column: i32 = fresh ? 5 + slotCount + index : 5 + index;
  return <usize>load<i32>(row + (<usize>column << 2)) + at;
}

function runStage(stage: usize, n: i32, u: usize, out: usize, param: usize, row: usize, slotCount: i32, at: usize): void {
  const kind = load<i32>(stage);
  const slot = load<i32>(stage, 4);
  if (kind == SCALE) scale(n, u, out, <f32>parameter(stage, 0));
  else if (kind == DECAY) decay(n, u, out, param, <f32>parameter(stage, 0));
  else if (kind == ADAM) {
    adam(
      n, u, out, slotAt(row, slotCount, slot, false, at), slotAt(row, slotCount, slot, true, at),
      slotAt(row, slotCount, slot + 1, false, at), slotAt(row, slotCount, slot + 1, true, at), stage,
    );
  } else {
    const slotIn = slotAt(row, slotCount, slot, false, at), slotOut = slotAt(row, slotCount, slot, true, at);
    if (kind == TRACE) trace(n, u, out, slotIn, slotOut, <f32>parameter(stage, 0), load<i32>(stage, 8) != 0);
    else if (kind == RMS) rms(n, u, out, slotIn, slotOut, <f32>parameter(stage, 0), <f32>(1 - parameter(stage, 0)), <f32>parameter(stage, 1));
    else if (kind == ADAGRAD) adagrad(n, u, out, slotIn, slotOut, <f32>parameter(stage, 0));
  }
}

// Each stage below: four lanes at a time, then the tail one by one, the same float32 ops.

/** `out = u · factor`. */
function scale(n: i32, u: usize, out: usize, factor: f32): void {
  const f = f32x4.splat(factor);
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.mul(v128.load(u + at), f));
  }
  for (let i = end; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(u + at) * factor);
  }
}

/** `out = u + p · rate`. */
function decay(n: i32, u: usize, out: usize, param: usize, rate: f32): void {
  const r = f32x4.splat(rate);
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.add(v128.load(u + at), f32x4.mul(v128.load(param + at), r)));
  }
  for (let i = end; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(u + at) + load<f32>(param + at) * rate);
  }
}

/** `t = u + t · decay`; `out = t`, or `u + t · decay` with Nesterov. */
function trace(n: i32, u: usize, out: usize, t: usize, tOut: usize, decay: f32, nesterov: bool): void {
  const d = f32x4.splat(decay);
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(u + at);
    const next = f32x4.add(g, f32x4.mul(v128.load(t + at), d));
    v128.store(tOut + at, next);
    v128.store(out + at, nesterov ? f32x4.add(g, f32x4.mul(next, d)) : next);
  }
  for (let i = end; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(u + at);
    const next = g + load<f32>(t + at) * decay;
    store<f32>(tOut + at, next);
    store<f32>(out + at, nesterov ? g + next * decay : next);
  }
}

/** `v = v · decay + u² · (1 - decay)`; `out = u / √(v + epsilon)`. */
function rms(n: i32, u: usize, out: usize, v: usize, vOut: usize, decay: f32, rest: f32, epsilon: f32): void {
  const d = f32x4.splat(decay), r = f32x4.splat(rest), e = f32x4.splat(epsilon);
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(u + at);
    const next = f32x4.add(f32x4.mul(v128.load(v + at), d), f32x4.mul(f32x4.mul(g, g), r));
    v128.store(vOut + at, next);
    v128.store(out + at, f32x4.div(g, f32x4.sqrt(f32x4.add(next, e))));
  }
  for (let i = end; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(u + at);
    const next = load<f32>(v + at) * decay + (g * g) * rest;
    store<f32>(vOut + at, next);
    store<f32>(out + at, g / sqrt<f32>(next + epsilon));
  }
}

/** `s = s + u²`; `out = u / √(s + epsilon)`. */
function adagrad(n: i32, u: usize, out: usize, s: usize, sOut: usize, epsilon: f32): void {
  const e = f32x4.splat(epsilon);
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(u + at);
    const next = f32x4.add(v128.load(s + at), f32x4.mul(g, g));
    v128.store(sOut + at, next);
    v128.store(out + at, f32x4.div(g, f32x4.sqrt(f32x4.add(next, e))));
  }
  for (let i = end; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(u + at);
    const next = load<f32>(s + at) + g * g;
    store<f32>(sOut + at, next);
    store<f32>(out + at, g / sqrt<f32>(next + epsilon));
  }
}

/**
 * Adam's moments and direction, exactly as `elementwise/adam.ts`
 * computes them: parameters β1, β2, ε, correction1, correction2.
 */
function adam(n: i32, u: usize, out: usize, m: usize, mOut: usize, v: usize, vOut: usize, stage: usize): void {
  adamRange(n, u, m, v, out, mOut, vOut, parameter(stage, 0), parameter(stage, 1), parameter(stage, 2), parameter(stage, 3), parameter(stage, 4));
}

/** `out = p + u`. */
function addInto(n: i32, u: usize, param: usize, out: usize): void {
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.add(v128.load(param + at), v128.load(u + at)));
  }
  for (let i = end; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(param + at) + load<f32>(u + at));
  }
}
