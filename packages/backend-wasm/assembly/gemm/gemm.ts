/**
 * Single-precision matrix product over packed panels, shared by every thread.
 *
 * The output is cut into tasks (a block of up to MC_PANELS row panels by a group of up to
 * NC_PANELS column panels, of one batch entry), which threads claim one at a time from a
 * shared counter, so a thread the OS delays holds back no more than one task. Each
 * operand panel is packed once, over the whole of k, by the first task that needs it;
 * a task needing a panel another thread is packing waits for it. Within a task, BLIS
 * style: for each block of k, one packed B panel slice (KC x 8, about 8 KB) stays in L1
 * while the block's A panel slices (up to 24 x KC x 5, about 120 KB) stream from L2.
 *
 * Each output element is the float32 sum of its products in k order (blocks of k
 * continue the sum stored in C), computed by exactly one task, so results are
 * bit-identical whatever the number of threads or the order they claim tasks in.
 */
import { microkernel, MR, NR } from './microkernel';
import { pack } from './pack';
import { finishBlock, LINEAR } from '../elementwise/activation';
import { control, intArg, NEXT_TASK, scratchOf, setIntArg, SPIN } from '../threads/control';

const KC: i32 = 256;
const MC_PANELS: i32 = 24;
const NC_PANELS: i32 = 4;

/** Bytes of scratch one thread needs: one edge tile. */
export const GEMM_SCRATCH_BYTES: i32 = MR * NR * 4;

// The states of a packed panel.
const UNPACKED: i32 = 0;
const PACKING: i32 = 1;
/** Packing, and another thread sleeps until it is done. */
const AWAITED: i32 = 2;
const PACKED: i32 = 3;

// Positions of the job's integer arguments in the control block.
const A = 0, B = 1, C = 2, BATCH = 3, M = 4, K = 5, N = 6, TRANSPOSE_A = 7, TRANSPOSE_B = 8;
const A_STRIDE = 9, B_STRIDE = 10, BIAS = 11, ACTIVATION = 12, PANELS = 13, PACK_FIRST = 14, A_PACKED = 15;

/** Panels one packing task packs, when a parallel job packs before it multiplies. */
const PANELS_PER_PACK = 2;
/**
 * A parallel job packs first only when its packed operands fit in cache (about the L2
 * of two cores): a larger one would be packed out to memory and read back from it, so it
 * is packed block by block as tasks need it, hot.
 */
const PACK_FIRST_BYTES: i32 = 1 << 20;

@inline function panelCount(size: i32, width: i32): i32 {
  return (size + width - 1) / width;
}

/** Panels of op(A) a job packs: those of every entry when A is batched, else of one. */
@inline function aPanelsPacked(batch: i32, m: i32, aBatched: bool): i32 {
  return (aBatched ? batch : 1) * panelCount(m, MR);
}

@inline function bPanelsPacked(batch: i32, n: i32, bBatched: bool): i32 {
  return (bBatched ? batch : 1) * panelCount(n, NR);
}

/** Rows of op(A) its packed panels hold: `m` rounded up to whole panels. */
export function panelRows(m: i32): i32 {
  return panelCount(m, MR) * MR;
}

/** Room a job needs for its packed operands: A's panels, then B's, then one state word per panel. */
export function packedBytes(batch: i32, m: i32, k: i32, n: i32, aBatched: bool, bBatched: bool): i32 {
  const aCount = aPanelsPacked(batch, m, aBatched), bCount = bPanelsPacked(batch, n, bBatched);
  return (aCount * MR * k + bCount * NR * k + aCount + bCount) * 4;
}

/**
 * Writes a product job: `C[t] = activation(op(A[t]) · op(B[t]) + bias)` for each of
 * `batch` matrices. `aStride`/`bStride` are the element distances between successive
 * operands (0 reuses one matrix); `bias` is 0 or the address of `n` floats; `panels`
 * is `packedBytes` of room for the packed operands. With `aPacked`, A is already in the
 * packed layout (op(A) = A, its entries `panelRows(m) · k` floats apart when `aStride` is
 * not 0), and `panels` needs room for B's alone (`packedBytes` with `m` 0).
 */
export function writeGemmJob(
  a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, transposeA: bool, transposeB: bool,
  aStride: i32, bStride: i32, bias: usize, activation: i32, panels: usize, packFirst: bool, aPacked: bool = false,
): void {
  setIntArg(A, <i32>a); setIntArg(B, <i32>b); setIntArg(C, <i32>c);
  setIntArg(BATCH, batch); setIntArg(M, m); setIntArg(K, k); setIntArg(N, n);
  setIntArg(TRANSPOSE_A, <i32>transposeA); setIntArg(TRANSPOSE_B, <i32>transposeB);
  setIntArg(A_STRIDE, aStride); setIntArg(B_STRIDE, bStride);
  setIntArg(BIAS, <i32>bias); setIntArg(ACTIVATION, activation); setIntArg(PANELS, <i32>panels);
  setIntArg(PACK_FIRST, <i32>packFirst); setIntArg(A_PACKED, <i32>aPacked);
  const aCount = aPacked ? 0 : aPanelsPacked(batch, m, aStride != 0), bCount = bPanelsPacked(batch, n, bStride != 0);
  // Every panel starts unpacked.
  memory.fill(panels + (<usize>(aCount * MR * k + bCount * NR * k) << 2), 0, <usize>(aCount + bCount) << 2);
  store<i32>(control + NEXT_TASK, 0);
}

// The posted product as this thread sees it, read from the control block once per job
// (module globals are per instance, so each thread has its own).
let m: i32, k: i32, n: i32;
let a: usize, b: usize, c: usize, bias: usize, activation: i32;
let aStride: usize, bStride: usize, aBatched: bool, bBatched: bool, aPacked: bool;
// op(A)[i, p] is at a + 4 (i·aLine + p·aStep); op(B)[p, j] at b + 4 (j·bLine + p·bStep).
let aLine: i32, aStep: i32, bLine: i32, bStep: i32;
let aPanels: i32, bPanels: i32, aBlocks: i32, bGroups: i32, kBlocks: i32, tasks: i32;
let aCount: i32, bCount: i32, packTasks: i32;
// Whether B's full panels are read where they are (see `readJob`).
let bDirect: bool;
let packedA: usize, packedB: usize, statesA: usize, statesB: usize;

function readJob(): void {
  m = intArg(M); k = intArg(K); n = intArg(N);
  a = <usize>intArg(A); b = <usize>intArg(B); c = <usize>intArg(C);
  bias = <usize>intArg(BIAS); activation = intArg(ACTIVATION);
  aStride = <usize>intArg(A_STRIDE) << 2; bStride = <usize>intArg(B_STRIDE) << 2;
  aBatched = aStride != 0; bBatched = bStride != 0;
  const transposeA = intArg(TRANSPOSE_A) != 0, transposeB = intArg(TRANSPOSE_B) != 0;
  aLine = transposeA ? 1 : k; aStep = transposeA ? m : 1;
  bLine = transposeB ? k : 1; bStep = transposeB ? 1 : n;
  // A panel of op(B) is eight consecutive floats per step when B is not transposed: the
  // micro-kernel then streams it in place, a row of B apart, and only a ragged last
  // panel is packed. (Streaming op(A) in place when A is transposed measured no faster
  // than packing it: the strided reads cost what the packing saves.)
  bDirect = bLine == 1;
  aPanels = panelCount(m, MR); bPanels = panelCount(n, NR);
  aBlocks = max(1, panelCount(aPanels, MC_PANELS));
  bGroups = max(1, panelCount(bPanels, NC_PANELS));
  // Equal blocks of k, at least one so that k = 0 still writes zeros.
  kBlocks = max(1, panelCount(k, KC));
  const batch = intArg(BATCH);
  aPacked = intArg(A_PACKED) != 0;
  aCount = aPacked ? 0 : aPanelsPacked(batch, m, aBatched); bCount = bPanelsPacked(batch, n, bBatched);
  // A parallel job packs first: threads pack disjoint panels side by side, so that a
  // thread seldom waits for a panel another one is packing when it starts multiplying.
  const packedSize = (aCount * MR + bCount * NR) * k * 4;
  packTasks = intArg(PACK_FIRST) != 0 && packedSize <= PACK_FIRST_BYTES ? panelCount(aCount, PANELS_PER_PACK) + panelCount(bCount, PANELS_PER_PACK) : 0;
  tasks = packTasks + batch * aBlocks * bGroups;
  packedB = <usize>intArg(PANELS) + (<usize>(aCount * MR * k) << 2);
  packedA = aPacked ? a : <usize>intArg(PANELS);
  statesA = packedB + (<usize>(bCount * NR * k) << 2);
  statesB = statesA + (<usize>aCount << 2);
}

/** Claims and runs tasks of the posted product until none is left; `thread` names this thread's scratch. */
export function gemmWork(thread: i32): void {
  readJob();
  const tile = scratchOf(thread);
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    if (task < packTasks) {
      packTask(task);
      continue;
    }
    const product = task - packTasks;
    // Consecutive tasks share their A block, which then stays in L2.
    const group = product % bGroups;
    const block = (product / bGroups) % aBlocks;
    const entry = product / (bGroups * aBlocks);
    runTask(entry, block, group, tile);
  }
}

/** Packs the panels of packing task `task`: A's panels (of every packed entry) first, then B's. */
function packTask(task: i32): void {
  const aTasks = panelCount(aCount, PANELS_PER_PACK);
  const onA = task < aTasks;
  const first = (onA ? task : task - aTasks) * PANELS_PER_PACK;
  const last = min(first + PANELS_PER_PACK, onA ? aCount : bCount);
  for (let panel = first; panel < last; panel++) {
    if (onA) packAPanel(panel / aPanels, panel % aPanels);
    else packBPanel(panel / bPanels, panel % bPanels);
  }
}

/** Whether panel `jp` of op(B) is read where it is rather than packed. */
@inline function directB(jp: i32): bool {
  return bDirect && jp * NR + NR <= n;
}

/** Makes sure panel `ip` of A's packed entry `entry` is packed. */
@inline function packAPanel(entry: i32, ip: i32): void {
  if (aPacked) return;
  const aPanelBytes = <usize>(MR * k) << 2;
  const state = statesA + (<usize>(entry * aPanels + ip) << 2);
  const from = a + <usize>entry * aStride + (<usize>(ip * MR * aLine) << 2);
  ensurePacked(state, from, aLine, aStep, min(MR, m - ip * MR), k, MR, packedA + <usize>(entry * aPanels + ip) * aPanelBytes);
}

/** Makes sure panel `jp` of B's packed entry `entry` is packed (or read in place). */
@inline function packBPanel(entry: i32, jp: i32): void {
  if (directB(jp)) return;
  const bPanelBytes = <usize>(NR * k) << 2;
  const state = statesB + (<usize>(entry * bPanels + jp) << 2);
  const from = b + <usize>entry * bStride + (<usize>(jp * NR * bLine) << 2);
  ensurePacked(state, from, bLine, bStep, min(NR, n - jp * NR), k, NR, packedB + <usize>(entry * bPanels + jp) * bPanelBytes);
}

function runTask(entry: i32, block: i32, group: i32, tile: usize): void {
  const aEntry = aBatched ? entry : 0, bEntry = bBatched ? entry : 0;
  const cFrom = c + (<usize>(entry * m * n) << 2);
  // Balanced ranges of panels.
  const ip0 = aPanels * block / aBlocks, ip1 = aPanels * (block + 1) / aBlocks;
  const jp0 = bPanels * group / bGroups, jp1 = bPanels * (group + 1) / bGroups;
  const aPanelBytes = <usize>(MR * k) << 2, bPanelBytes = <usize>(NR * k) << 2;
  const aBase = packedA + <usize>(aEntry * aPanels) * aPanelBytes;
  const bBase = packedB + <usize>(bEntry * bPanels) * bPanelBytes;
  for (let ip = ip0; ip < ip1; ip++) packAPanel(aEntry, ip);
  for (let jp = jp0; jp < jp1; jp++) packBPanel(bEntry, jp);
  const ldc = <usize>n << 2;
  const finish = bias != 0 || activation != LINEAR;
  const bFrom = b + <usize>bEntry * bStride;
  // Bytes from one step to the next of a B panel read in place.
  const bInPlace = <usize>n << 2;
  const aStepBytes: usize = <usize>(MR << 2);
  for (let kb = 0; kb < kBlocks; kb++) {
    const k0 = k * kb / kBlocks;
    const kc = k * (kb + 1) / kBlocks - k0;
    const accumulate = kb > 0;
    const last = kb == kBlocks - 1;
    for (let jp = jp0; jp < jp1; jp++) {
      const bStepBytes: usize = directB(jp) ? bInPlace : <usize>(NR << 2);
      const pb = (directB(jp) ? bFrom + (<usize>(jp * NR) << 2) : bBase + <usize>jp * bPanelBytes) + <usize>k0 * bStepBytes;
      const cols = min(NR, n - jp * NR);
      for (let ip = ip0; ip < ip1; ip++) {
        const pa = aBase + <usize>ip * aPanelBytes + <usize>k0 * aStepBytes;
        const rows = min(MR, m - ip * MR);
        const at = cFrom + (<usize>(ip * MR * n + jp * NR) << 2);
        if (rows == MR && cols == NR) microkernel(kc, pa, aStepBytes, pb, bStepBytes, at, ldc, accumulate);
        else edgeTile(kc, pa, aStepBytes, pb, bStepBytes, at, ldc, rows, cols, accumulate, tile);
        if (last && finish) finishBlock(at, ldc, rows, cols, bias != 0 ? bias + (<usize>(jp * NR) << 2) : 0, activation);
      }
    }
  }
}

/**
 * Makes sure one panel is packed: packs it if no thread has started to, else waits for
 * the thread that has (polling first, then sleeping until woken).
 */
function ensurePacked(state: usize, src: usize, xStride: i32, pStride: i32, lines: i32, depth: i32, width: i32, dst: usize): void {
  let now = atomic.load<i32>(state);
  if (now == PACKED) return;
  if (now == UNPACKED && atomic.cmpxchg<i32>(state, UNPACKED, PACKING) == UNPACKED) {
    pack(src, xStride, pStride, lines, depth, width, dst);
    if (atomic.xchg<i32>(state, PACKED) == AWAITED) atomic.notify(state);
    return;
  }
  const spin = load<i32>(control + SPIN);
  for (let s = 0; s < spin && now != PACKED; s++) now = atomic.load<i32>(state);
  while (now != PACKED) {
    if (now == AWAITED || atomic.cmpxchg<i32>(state, PACKING, AWAITED) == PACKING) memory.atomic.wait32(state, AWAITED, -1);
    now = atomic.load<i32>(state);
  }
}

/** A tile cut by the matrix's edge: computed whole in `tile`, of which the part inside C is copied. */
function edgeTile(
  kc: i32, pa: usize, aStep: usize, pb: usize, bStep: usize, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool, tile: usize,
): void {
  const tileLine: usize = <usize>NR << 2;
  const bytes = <usize>cols << 2;
  if (accumulate) for (let r = 0; r < rows; r++) memory.copy(tile + <usize>r * tileLine, c + <usize>r * ldc, bytes);
  microkernel(kc, pa, aStep, pb, bStep, tile, tileLine, accumulate);
  for (let r = 0; r < rows; r++) memory.copy(c + <usize>r * ldc, tile + <usize>r * tileLine, bytes);
}
