// The training worker: loads MNIST, opens the chosen backend and trains the tutorial's
// MLP, reporting every batch, so the page stays responsive and its chart live.
import * as E from 'fp-ts/lib/Either.js';
import { fetchDataset, mnist, renderDataError } from '@axon/data';
import type { TrainReport, TrainRequest } from './messages.js';
import { openBackend } from './open-backend.js';
import { toTransfer } from './transfer.js';
import { runTutorial } from './tutorial-run.js';

interface WorkerScope {
  postMessage(message: TrainReport): void;
  onmessage: ((event: MessageEvent<TrainRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const report = (message: TrainReport): void => scope.postMessage(message);

// Lets the worker post each batch's report before the next step starts. A message to
// itself, not setTimeout(0), which browsers hold back to 4 ms once timeouts nest: more
// than a whole wasm training step.
const channel = new MessageChannel();
const yieldToEvents = (): Promise<void> =>
  new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

const train = async (request: TrainRequest): Promise<void> => {
  report({ kind: 'status', text: 'loading MNIST…' });
  const loaded = await fetchDataset(mnist, request.dataUrl)();
  if (E.isLeft(loaded)) return report({ kind: 'error', message: renderDataError(loaded.left) });
  report({ kind: 'status', text: `opening the ${request.backend} backend…` });
  const opened = await openBackend(request.backend, request.gpuMode, request.threads);
  if (E.isLeft(opened)) return report({ kind: 'error', message: opened.left });
  const { backend, release, ...facts } = opened.right;
  report({ kind: 'backend', backend: request.backend, ...facts });
  report({ kind: 'status', text: 'training…' });
  const started = performance.now();
  try {
    const { params, history } = await runTutorial(loaded.right.train, backend, request.settings, {
      now: () => performance.now(),
      onBatch: async (event) => {
        report({
          kind: 'batch',
          epoch: event.epoch,
          epochs: event.epochs,
          batch: event.batch,
          batches: event.batches,
          step: event.step,
          loss: event.loss,
          accuracy: event.accuracy ?? Number.NaN,
          meanLoss: event.meanLoss,
          meanAccuracy: event.meanAccuracy ?? Number.NaN,
          seconds: event.seconds ?? Number.NaN,
        });
        await yieldToEvents();
      },
      onEpoch: (log) =>
        report({
          kind: 'epoch',
          epoch: log.epoch,
          loss: log.loss,
          accuracy: log.accuracy ?? Number.NaN,
          seconds: log.seconds ?? Number.NaN,
        }),
    });
    const last = history.at(-1);
    report({
      kind: 'done',
      params: toTransfer(params),
      loss: last?.loss ?? Number.NaN,
      accuracy: last?.accuracy ?? Number.NaN,
      seconds: (performance.now() - started) / 1000,
    });
  } catch (error) {
    report({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await release();
  }
};

scope.onmessage = (event) => {
  void train(event.data);
};
