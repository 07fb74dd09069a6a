import type { WasmImports, WasmInstance, WasmMemory } from './webassembly.js';

/**
 * The functions the kernels module exports (see `assembly/index.ts`). Addresses are byte
 * offsets into the shared memory; flags are 0 or 1.
 */
export interface KernelExports {
  heapBase(): number;
  controlBytes(): number;
  scratchBytesPerThread(): number;
  attach(control: number): void;
  configure(threads: number, spin: number, scratch: number, scratchStride: number): void;
  workerLoop(index: number): void;
  stopWorkers(): void;
  matmul(
    parallel: number,
    a: number,
    b: number,
    c: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    transposeA: number,
    transposeB: number,
    aStride: number,
    bStride: number,
    bias: number,
    activation: number,
    panels: number,
  ): number;
  packedMatmul(
    parallel: number,
    a: number,
    b: number,
    c: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    aBatched: number,
    bStride: number,
    bias: number,
    activation: number,
    panels: number,
  ): number;
  packedBytes(batch: number, m: number, k: number, n: number, aBatched: number, bBatched: number): number;
  panelRows(m: number): number;
  zeroSkipping(a: number, aCount: number, b: number, bCount: number, minZeroShare: number): number;
  sparseScratchBytes(
    batch: number,
    k: number,
    n: number,
    transposeB: number,
    bBatched: number,
    threads: number,
  ): number;
  sparseMatmul(
    parallel: number,
    a: number,
    b: number,
    c: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    transposeA: number,
    transposeB: number,
    aStride: number,
    bStride: number,
    bias: number,
    activation: number,
    scratch: number,
    minExponent: number,
  ): number;
  adam(
    parallel: number,
    n: number,
    grad: number,
    m: number,
    v: number,
    direction: number,
    mOut: number,
    vOut: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    correction1: number,
    correction2: number,
  ): number;
  update(
    parallel: number,
    table: number,
    stageCount: number,
    tensorCount: number,
    slotCount: number,
    tasks: number,
  ): number;
  updateChunk(): number;
  updateStageBytes(): number;
  activationGrad(activation: number, n: number, dy: number, y: number, out: number): void;
  binary(
    op: number,
    rows: number,
    cols: number,
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    bRow: number,
    bCol: number,
    out: number,
  ): void;
  relu(n: number, x: number, out: number): void;
  sumRows(rows: number, cols: number, x: number, out: number): void;
  decodeBytes(codes: number, table: number, out: number, n: number): void;
  sparseSoftmaxCrossEntropy(rows: number, cols: number, logits: number, labels: number, out: number): void;
  sparseSoftmaxCrossEntropyGrad(
    rows: number,
    cols: number,
    logits: number,
    labels: number,
    dLoss: number,
    out: number,
  ): void;
  convPatches(
    parallel: number,
    geometry: number,
    x: number,
    patches: number,
    firstImage: number,
    images: number,
  ): number;
  col2im(
    parallel: number,
    geometry: number,
    patchGrads: number,
    dx: number,
    firstImage: number,
    images: number,
  ): number;
  winogradKernel(kernel: number, inChannels: number, outChannels: number, u: number, uStride: number): void;
  winogradInput(
    parallel: number,
    geometry: number,
    x: number,
    v: number,
    firstImage: number,
    images: number,
    rows: number,
  ): number;
  winogradOutput(
    parallel: number,
    geometry: number,
    m: number,
    y: number,
    firstImage: number,
    images: number,
    rows: number,
    bias: number,
    activation: number,
  ): number;
  pool(parallel: number, geometry: number, mode: number, a: number, b: number, out: number): number;
  panelsBBytes(k: number, n: number): number;
  packPanelsB(b: number, k: number, n: number, dst: number): void;
  convPoolScratchBytes(taps: number, poolHeight: number, poolWidth: number, pooledWidth: number): number;
  convMaxPool(
    parallel: number,
    geometry: number,
    x: number,
    panelsB: number,
    bias: number,
    activation: number,
    poolHeight: number,
    poolWidth: number,
    pooledHeight: number,
    pooledWidth: number,
    out: number,
    scratch: number,
    scratchBytes: number,
    images: number,
  ): number;
  dropout(
    parallel: number,
    n: number,
    x: number,
    out: number,
    key0: number,
    key1: number,
    threshold: number,
    scale: number,
  ): number;
}

const exportNames: readonly (keyof KernelExports)[] = [
  'heapBase',
  'controlBytes',
  'scratchBytesPerThread',
  'attach',
  'configure',
  'workerLoop',
  'stopWorkers',
  'matmul',
  'packedMatmul',
  'packedBytes',
  'panelRows',
  'zeroSkipping',
  'sparseScratchBytes',
  'sparseMatmul',
  'adam',
  'update',
  'updateChunk',
  'updateStageBytes',
  'activationGrad',
  'binary',
  'relu',
  'sumRows',
  'decodeBytes',
  'sparseSoftmaxCrossEntropy',
  'sparseSoftmaxCrossEntropyGrad',
  'convPatches',
  'col2im',
  'winogradKernel',
  'winogradInput',
  'winogradOutput',
  'pool',
  'panelsBBytes',
  'packPanelsB',
  'convPoolScratchBytes',
  'convMaxPool',
  'dropout',
];

/** The instance's exports, checked to be the functions {@link KernelExports} lists. */
export const kernelExports = (instance: WasmInstance): KernelExports => {
  const found = instance.exports;
  const missing = exportNames.filter((name) => typeof found[name] !== 'function');
  if (missing.length > 0)
    throw new Error(`the kernels module lacks the exports ${missing.join(', ')}; rebuild it (npm run build:wasm)`);
  return found as unknown as KernelExports;
};

/** A clock in milliseconds, as `performance.now` gives (Node, browsers and their workers all have one). */
export type Clock = () => number;

/**
 * What the kernels module imports: the shared memory, the few functions of JavaScript's
 * Math that slow paths (sigmoid, tanh, softmax) call, so that they round exactly as the
 * reference backend does, and a clock for the threads' busy-time counters.
 */
export const kernelImports = (memory: WasmMemory, now: Clock): WasmImports => ({
  env: { memory, now, 'Math.exp': Math.exp, 'Math.log': Math.log, 'Math.tanh': Math.tanh },
});
