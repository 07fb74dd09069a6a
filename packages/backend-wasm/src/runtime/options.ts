/** Options of a wasm runtime, and of `createWasmBackend`, the same in Node.js and in browsers. */
export interface RuntimeOptions {
  /**
   * Threads for large kernels, the calling thread included; defaults to the available
   * cores. In a browser more than one runs only where threads can share memory and wait
   * for each other (see `WasmBackend.threadLimit`).
   */
  readonly threads?: number;
  /**
   * Polls (about 0.5 ns each) a thread makes for the next job or task before it sleeps;
   * 0 by default. Polling cuts the few microseconds it takes to wake a worker, but on a
   * machine shared with other work a polling worker takes CPU time from the threads
   * doing useful work, which costs far more: measured there, a 2-thread training step
   * took 1.6 ms without polling and 2.9 ms with 100 µs of it. Raise it on a dedicated
   * machine.
   */
  readonly spin?: number;
  /**
   * Multiply-adds in the matrix products fused into one rounding, where the host has
   * relaxed SIMD (true unless stated). Faster; products then differ from a plain float32
   * loop in the last bits (still identical for any thread count). False keeps every
   * product equal to the plain loop.
   */
  readonly fma?: boolean;
  /**
   * Products whose left operand is mostly zeros (MNIST's pixels, ReLU's outputs and the
   * gradients it masks) skip the zeros (true unless stated). The results are bit-identical
   * either way (see `docs/performance.md`); false times the dense products alone.
   */
  readonly skipZeros?: boolean;
  /**
   * 3×3, stride-1 convolutions with enough channels computed by Winograd's F(2×2, 3×3)
   * algorithm, about half the multiplies of the matrix product over patches (true unless
   * stated). Results differ from that product in the last bits (within a bound
   * `docs/performance.md` gives) and stay identical for any thread count; false keeps
   * every convolution a product over patches.
   */
  readonly winograd?: boolean;
}
