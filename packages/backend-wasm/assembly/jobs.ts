/**
 * The jobs that run on several threads, and the loop each worker runs. Every job is a
 * list of tasks that the threads present claim one by one, so the main thread alone can
 * finish any job.
 */
import { busyOf, control, JOB, THREADS } from './threads/control';
import { awaitJob, closeCrew, DONE, joinCrew, leaveCrew, post } from './threads/signal';
import { gemmWork } from './gemm/gemm';
import { sparseWork } from './gemm/sparse';
import { adamWork } from './elementwise/adam';
import { updateWork } from './optim/update';
import { col2imWork, patchesWork } from './conv/patches';
import { poolWork } from './conv/pool';
import { dropoutWork } from './random/dropout';
import { winogradInputWork, winogradOutputWork } from './conv/winograd';
import { convPoolWork } from './conv/conv-pool';

export const GEMM: i32 = 1;
export const ADAM: i32 = 2;
export const UPDATE: i32 = 3;
/** Tells the workers to return from {@link workerLoop}. */
const STOP: i32 = 4;
export const CONV_PATCHES: i32 = 5;
export const COL2IM: i32 = 6;
export const POOL: i32 = 7;
export const DROPOUT: i32 = 8;
export const SPARSE_GEMM: i32 = 9;
export const WINOGRAD_INPUT: i32 = 10;
export const WINOGRAD_OUTPUT: i32 = 11;
export const CONV_POOL: i32 = 12;

/** A clock in milliseconds (the host's `performance.now`), for the busy-time counters. */
@external("env", "now")
declare function now(): f64;

/**
 * Claims and runs tasks of the posted job; `thread` names the caller's scratch area,
 * whose busy-time counter grows by the time this took.
 */
function work(kind: i32, thread: i32): void {
  const start = now();
  if (kind == GEMM) gemmWork(thread);
  else if (kind == ADAM) adamWork();
  else if (kind == UPDATE) updateWork();
  else if (kind == CONV_PATCHES) patchesWork();
  else if (kind == COL2IM) col2imWork();
  else if (kind == POOL) poolWork();
  else if (kind == DROPOUT) dropoutWork();
  else if (kind == SPARSE_GEMM) sparseWork(thread);
  else if (kind == WINOGRAD_INPUT) winogradInputWork();
  else if (kind == WINOGRAD_OUTPUT) winogradOutputWork();
  else if (kind == CONV_POOL) convPoolWork(thread);
  const busy = busyOf(thread);
  store<f64>(busy, load<f64>(busy) + (now() - start) / 1000);
}

/**
 * Runs the job whose arguments are in the control block, with whichever workers join
 * when `parallel`, else on the calling thread alone. Returns `DONE` or `TIMED_OUT`.
 */
export function runJob(kind: i32, parallel: bool): i32 {
  if (!parallel || load<i32>(control + THREADS) <= 1) {
    work(kind, 0);
    return DONE;
  }
  post(kind);
  work(kind, 0);
  return closeCrew();
}

/**
 * A worker's whole life: wait for a job, join it and claim tasks, repeat, until told to
 * stop. It must be entered before the main thread posts its first job, or with the
 * generation counter still at zero (which a fresh control block has).
 */
export function workerLoop(thread: i32): void {
  let seen = 0;
  while (true) {
    seen = awaitJob(seen);
    if (!joinCrew()) continue;
    const kind = load<i32>(control + JOB);
    if (kind != STOP) work(kind, thread);
    leaveCrew();
    if (kind == STOP) return;
  }
}

/** Main thread: tells every worker to leave its loop (the host then waits for the threads to exit). */
export function stopWorkers(): void {
  if (load<i32>(control + THREADS) > 1) post(STOP);
}
