/**
 * Posting a job and gathering its crew, through the control block.
 *
 * Work is claimed task by task from a shared counter, and a worker takes part in a job
 * only if it joins the crew before the main thread closes it, so the main thread never
 * waits for a worker that is still asleep or that the OS has not scheduled: it runs
 * every unclaimed task itself, closes the crew and waits only for the workers that
 * joined. A late worker finds the crew closed and goes back to waiting.
 *
 * A waiting thread may first poll (`SPIN` polls, set by the host) before it sleeps in
 * `memory.atomic.wait32`: polling saves the microseconds a wake-up takes, but steals CPU
 * time from busy threads on a loaded machine.
 */
import { CLOSED, control, CREW, GENERATION, JOB, SPIN, THREADS } from './control';

/** The job finished on every thread. */
export const DONE: i32 = 0;
/** A worker did not finish within {@link WORKER_TIMEOUT_NS}: it has died or hangs. */
export const TIMED_OUT: i32 = 1;

/** How long the main thread waits for its workers before giving up on them. */
const WORKER_TIMEOUT_NS: i64 = 60_000_000_000;

/** Main thread: publishes the job whose arguments are already in the block, and wakes the workers. */
export function post(kind: i32): void {
  const workers = load<i32>(control + THREADS) - 1;
  store<i32>(control + JOB, kind);
  atomic.store<i32>(control + CREW, 0);
  // The atomic bump orders every store above before a worker's atomic read of it.
  atomic.add<i32>(control + GENERATION, 1);
  atomic.notify(control + GENERATION, workers);
}

/** Main thread, its own part done: admits no more workers and waits for those that joined. */
export function closeCrew(): i32 {
  let crew = atomic.or<i32>(control + CREW, CLOSED) | CLOSED;
  const spin = load<i32>(control + SPIN);
  for (let s = 0; s < spin && crew != CLOSED; s++) crew = atomic.load<i32>(control + CREW);
  while (crew != CLOSED) {
    const outcome = memory.atomic.wait32(control + CREW, crew, WORKER_TIMEOUT_NS);
    crew = atomic.load<i32>(control + CREW);
    if (outcome == AtomicWaitResult.TIMED_OUT && crew != CLOSED) return TIMED_OUT;
  }
  return DONE;
}

/** Worker: waits for a job newer than generation `seen` and returns the new generation. */
export function awaitJob(seen: i32): i32 {
  const spin = load<i32>(control + SPIN);
  let generation = atomic.load<i32>(control + GENERATION);
  for (let s = 0; s < spin && generation == seen; s++) generation = atomic.load<i32>(control + GENERATION);
  while (generation == seen) {
    memory.atomic.wait32(control + GENERATION, seen, -1);
    generation = atomic.load<i32>(control + GENERATION);
  }
  return generation;
}

/**
 * Worker: joins the crew of the job now posted, unless it is closed. The job's kind and
 * arguments may be read only after joining: until then the main thread may be writing
 * the next job's.
 */
export function joinCrew(): bool {
  let crew = atomic.load<i32>(control + CREW);
  while ((crew & CLOSED) == 0) {
    const seen = atomic.cmpxchg<i32>(control + CREW, crew, crew + 1);
    if (seen == crew) return true;
    crew = seen;
  }
  return false;
}

/** Worker: leaves the crew, waking the main thread if it is waiting for this worker alone. */
export function leaveCrew(): void {
  if (atomic.sub<i32>(control + CREW, 1) == (CLOSED | 1)) atomic.notify(control + CREW, 1);
}
