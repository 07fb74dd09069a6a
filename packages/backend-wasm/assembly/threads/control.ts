/**
 * The control block: a few cache lines of shared memory through which the main thread
 * posts jobs to the workers. Every instance (the main thread's and each worker's) is
 * told its address once by {@link attach}; the block itself holds everything they
 * share, since globals are per instance.
 *
 * Counters that different threads write sit on their own 64-byte lines, so that a
 * worker spinning on the generation does not slow the main thread's writes of the
 * job's arguments.
 */

/** Bumped by the main thread to post a job; workers wait on it. */
export const GENERATION: usize = 0;
/**
 * The posted job's crew: the number of workers that joined it and have not finished,
 * plus `CLOSED` once the main thread has done its part and admits no more workers.
 */
export const CREW: usize = 64;
export const CLOSED: i32 = 1 << 30;
/** Threads taking part in a parallel job, the main thread included. */
export const THREADS: usize = 128;
/** How many times a thread polls before it sleeps in `memory.atomic.wait32`. */
export const SPIN: usize = 132;
/** Base address of the per-thread scratch areas, `SCRATCH_STRIDE` bytes apart. */
export const SCRATCH: usize = 136;
export const SCRATCH_STRIDE: usize = 140;
/** The posted job's kind. */
export const JOB: usize = 192;
/** Integer arguments of the posted job (room for 16). */
const INT_ARGS: usize = 200;
/** Float arguments of the posted job (room for 8). */
const FLOAT_ARGS: usize = 264;
/** The next unclaimed task of the posted job; every thread draws from it. */
export const NEXT_TASK: usize = 384;
/** Bytes the control block occupies. */
export const CONTROL_BYTES: i32 = <i32>NEXT_TASK + 64;

/** This instance's view of the control block. */
export let control: usize = 0;

/** Points this instance at the control block (every instance calls it once). */
export function attach(block: usize): void {
  control = block;
}

/** Integer argument `i` of the posted job. */
@inline export function intArg(i: i32): i32 {
  return load<i32>(control + INT_ARGS + (<usize>i << 2));
}

@inline export function setIntArg(i: i32, value: i32): void {
  store<i32>(control + INT_ARGS + (<usize>i << 2), value);
}

/** Float argument `i` of the posted job. */
@inline export function floatArg(i: i32): f64 {
  return load<f64>(control + FLOAT_ARGS + (<usize>i << 3));
}

@inline export function setFloatArg(i: i32, value: f64): void {
  store<f64>(control + FLOAT_ARGS + (<usize>i << 3), value);
}

/**
 * Each thread's scratch area starts with its own cache line of counters: the seconds it
 * has spent running tasks (an f64 the host reads). Kernels get the rest.
 */
const COUNTERS_BYTES: usize = 64;

/** Bytes of each thread's scratch area that kernels do not get. */
export const SCRATCH_RESERVED: i32 = <i32>COUNTERS_BYTES;

@inline function scratchAreaOf(thread: i32): usize {
  return <usize>load<i32>(control + SCRATCH) + <usize>thread * <usize>load<i32>(control + SCRATCH_STRIDE);
}

/** This thread's scratch, for kernels. */
@inline export function scratchOf(thread: i32): usize {
  return scratchAreaOf(thread) + COUNTERS_BYTES;
}

/** Where this thread's busy seconds are counted. */
@inline export function busyOf(thread: i32): usize {
  return scratchAreaOf(thread);
}

