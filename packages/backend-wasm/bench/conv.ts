/**
 * The convnet part of `npm run bench` for @axon/backend-wasm: float32 GFLOP/s of the
 * MNIST convnet's two convolutions (batch 128, and the second at inference's batch of
 * 1,000), forward as a product over patches and by Winograd's algorithm where it applies
 * (counted as the direct convolution's flops, so the figures compare), and both
 * gradients, and of its pooling, on 1 and 2 threads through the kernels on resident
 * operands; its first convolution and pooling at inference, one after the other and in
 * one kernel; then its training step (Keras's mnist_convnet, batch 128, Adam) in ms per
 * step.
 */
import * as T from '@axon/tensor';
import { adam, initTrainState, layers, losses, makeTrainStep, takeBatch } from '@axon/nn';
import { measure, row, show } from '@axon/bench';
import { createWasmBackend } from '../src/edge/index.js';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../src/kernels/conv.js';
import { convMaxPool } from '../src/kernels/conv-pool.js';
import { pool } from '../src/kernels/pool.js';
import { winogradApplies, winogradConv2d } from '../src/kernels/winograd.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import type { WasmStorage } from '../src/runtime/resident.js';

interface ConvCase {
  readonly label: string;
  readonly x: readonly [number, number, number, number];
  readonly kernel: readonly [number, number, number, number];
  /** Whether only the forward convolution is timed (an inference batch). */
  readonly forwardOnly?: boolean;
}

/** The two convolutions of Keras's mnist_convnet on a training batch, and the second on an inference batch. */
const convCases: readonly ConvCase[] = [
  { label: 'conv 1: [128,28,28,1] * [3,3,1,32]', x: [128, 28, 28, 1], kernel: [3, 3, 1, 32] },
  { label: 'conv 2: [128,13,13,32] * [3,3,32,64]', x: [128, 13, 13, 32], kernel: [3, 3, 32, 64] },
  { label: 'conv 2: [1000,13,13,32] * [3,3,32,64]', x: [1000, 13, 13, 32], kernel: [3, 3, 32, 64], forwardOnly: true },
];

const resident = (runtime: WasmRuntime, shape: readonly number[], seed: number): WasmStorage<'float32'> => {
  const values = T.uniform(T.key(seed), shape).values as Float32Array;
  const storage = runtime.memory.allocate('float32', values.length);
  runtime.memory.viewOf(storage).set(values);
  return storage;
};

/** Times `run` (which returns a new resident storage, freed at once), in ms. */
const timeKernel = (runtime: WasmRuntime, run: () => WasmStorage<'float32'>) =>
  measure(() => runtime.memory.release(run()), 1500, 3);

/**
 * The first convolution (bias, relu) and its 2x2 max pooling at inference's batch of
 * 1,000: one after the other, and in one kernel (the same bits).
 */
const benchConvMaxPool = (runtimes: readonly WasmRuntime[]): void => {
  const conv = T.conv2dGeometry([1000, 28, 28, 1], [3, 3, 1, 32], {});
  const pooled = T.pool2dGeometry('maxPool2d', [1000, 26, 26, 32], 2, {});
  const epilogue = { activation: 'relu' } as const;
  console.log(`\n${row(['conv 1 + relu + 2x2 max pooling of [1000,28,28,1], ms', '1 thread', '2 threads'], [52, 16])}`);
  for (const fused of [false, true]) {
    const cells = runtimes.map((r) => {
      const x = resident(r, [1000, 28, 28, 1], 1),
        kernel = resident(r, [3, 3, 1, 32], 2),
        bias = resident(r, [32], 3);
      const oneByOne = (): WasmStorage<'float32'> => {
        const y = conv2d(r, x, kernel, conv, { ...epilogue, bias });
        const out = pool(r, 'maxPool', y, undefined, pooled);
        r.memory.release(y);
        return out;
      };
      const timing = timeKernel(r, () =>
        fused ? convMaxPool(r, x, kernel, conv, pooled, { ...epilogue, bias }) : oneByOne(),
      );
      [x, kernel, bias].forEach((s) => r.memory.release(s));
      return show(timing, (ms) => ms, 1);
    });
    console.log(row([fused ? 'in one kernel' : 'one after the other', ...cells], [52, 16]));
  }
};

/**
 * Prints the convolution and pooling figures, then the convnet's training step.
 *
 * @example
 * ```ts
 * await benchConvnet();
 * ```
 */
export const benchConvnet = async (): Promise<void> => {
  // `conv2d` here is the product over patches; Winograd's algorithm is timed on its own row.
  const runtimes = [
    await startWasmRuntime({ threads: 1, winograd: false }),
    await startWasmRuntime({ threads: 2, winograd: false }),
  ];
  console.log(`\n${row(['convolution GFLOP/s, median [best]', '1 thread', '2 threads'], [60, 16])}`);
  convCases.forEach((c, i) => {
    const g = T.conv2dGeometry(c.x, c.kernel, {});
    const flops =
      2 * g.batch * g.outHeight * g.outWidth * g.outChannels * g.filterHeight * g.filterWidth * g.inChannels;
    const epilogue = { activation: 'linear' } as const;
    const forward = [
      {
        what: 'forward',
        run: (r: WasmRuntime, x: WasmStorage<'float32'>, k: WasmStorage<'float32'>, _dy: WasmStorage<'float32'>) =>
          conv2d(r, x, k, g),
      },
      ...(winogradApplies(g, epilogue)
        ? [
            {
              what: 'forward, Winograd',
              run: (
                r: WasmRuntime,
                x: WasmStorage<'float32'>,
                k: WasmStorage<'float32'>,
                _dy: WasmStorage<'float32'>,
              ) => winogradConv2d(r, x, k, g, epilogue),
            },
          ]
        : []),
    ];
    const gradients = [
      {
        what: 'input gradient',
        run: (r: WasmRuntime, _x: WasmStorage<'float32'>, k: WasmStorage<'float32'>, dy: WasmStorage<'float32'>) =>
          conv2dBackpropInput(r, dy, k, g),
      },
      {
        what: 'kernel gradient',
        run: (r: WasmRuntime, x: WasmStorage<'float32'>, _k: WasmStorage<'float32'>, dy: WasmStorage<'float32'>) =>
          conv2dBackpropFilter(r, x, dy, g),
      },
    ];
    for (const { what, run } of c.forwardOnly ? forward : [...forward, ...gradients]) {
      const cells = runtimes.map((r) => {
        const x = resident(r, c.x, i),
          k = resident(r, c.kernel, i + 10),
          dy = resident(r, [g.batch, g.outHeight, g.outWidth, g.outChannels], i + 20);
        const timing = timeKernel(r, () => run(r, x, k, dy));
        [x, k, dy].forEach((s) => r.memory.release(s));
        return show(timing, (ms) => flops / ms / 1e6);
      });
      console.log(row([`${c.label}, ${what}`, ...cells], [60, 16]));
    }
  });
  const pooled: [number, number, number, number] = [128, 26, 26, 32];
  const g = T.pool2dGeometry('maxPool2d', pooled, 2, {});
  console.log(`\n${row(['2x2 max pooling of [128,26,26,32], ms', '1 thread', '2 threads'], [52, 16])}`);
  for (const kind of ['maxPool', 'maxPoolGrad'] as const) {
    const cells = runtimes.map((r) => {
      const x = resident(r, pooled, 1),
        dy = resident(r, [128, 13, 13, 32], 2);
      const timing = timeKernel(r, () =>
        kind === 'maxPool' ? pool(r, kind, x, undefined, g) : pool(r, kind, dy, x, g),
      );
      [x, dy].forEach((s) => r.memory.release(s));
      return show(timing, (ms) => ms, 2);
    });
    console.log(row([kind === 'maxPool' ? 'forward' : 'gradient', ...cells], [52, 16]));
  }
  benchConvMaxPool(runtimes);
  await Promise.all(runtimes.map((r) => r.dispose()));

  // Keras's mnist_convnet, as `axon train --model cnn` builds it, one training step as fit runs it.
  const model = layers.sequential([
    layers.conv2d(32, 3, { activation: 'relu' }),
    layers.maxPooling2d(2),
    layers.conv2d(64, 3, { activation: 'relu' }),
    layers.maxPooling2d(2),
    layers.flatten(),
    layers.dropout(0.5),
    layers.dense(10, { activation: 'softmax' }),
  ]);
  const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
  const samples = 1024;
  const data = { x: T.uniform(T.key(1), [samples, 28, 28, 1]), y: T.randint(T.key(2), [samples], 0, 10) };
  const order = T.permutationValues(T.key(3), samples);
  console.log(`\n${row(['convnet training step (batch 128, Adam)', 'ms/step', 's per 469 steps'], [52, 16, 16])}`);
  for (const [threads, winograd] of [
    [1, true],
    [2, true],
    [2, false],
  ] as const) {
    const backend = await createWasmBackend({ threads, winograd });
    const step = makeTrainStep(plan);
    const onBackend = { x: T.toBackend(data.x, backend), y: T.toBackend(data.y, backend) };
    let state = initTrainState(plan, T.key(0), [28, 28, 1], { backend });
    let b = 0;
    const run = (): void => {
      const batch = takeBatch(onBackend, order, (b++ % (samples / 128)) * 128, 128);
      const next = step(state, batch).state;
      T.releaseTensors(batch);
      T.releaseTensors(state, next);
      state = next;
    };
    const timing = measure(run, 4000, 2);
    console.log(
      row(
        [
          `wasm, ${threads} thread(s)${winograd ? '' : ', no Winograd'}`,
          show(timing, (ms) => ms, 1),
          show(timing, (ms) => (ms * 469) / 1000, 1),
        ],
        [52, 16, 16],
      ),
    );
    await backend.dispose();
  }
};
