// The playground page: drawing and prediction on the main thread, training in a worker.
import * as E from 'fp-ts/lib/Either.js';
import { mnistInputFromRgba } from '@axon/digit-image';
import type { GpuModeRequest } from '@axon/backend-gpu';
import { drawTrainingChart, type ChartPoint } from './chart/training-chart.js';
import { classify, loadPageModel, type PageModel } from './model/page-model.js';
import { modelBytesOf } from './page/model-files.js';
import { showModelInput, showProbabilities } from './page/probabilities-view.js';
import { digitPad } from './pad/digit-pad.js';
import type { PageBackend, TrainReport, TrainRequest } from './training/messages.js';
import { fromTransfer, weightsFingerprint } from './training/transfer.js';
import { tutorialPlan } from './training/tutorial-run.js';

const byTestId = <T extends HTMLElement>(id: string): T => {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (element === null) throw new Error(`the page has no [data-testid="${id}"]`);
  return element;
};

const padCanvas = byTestId<HTMLCanvasElement>('digit-pad');
const prediction = byTestId<HTMLOutputElement>('prediction');
const probabilities = byTestId<HTMLOListElement>('probabilities');
const latency = byTestId<HTMLElement>('latency');
const inputCanvas = byTestId<HTMLCanvasElement>('model-input');
const modelOrigin = byTestId<HTMLElement>('model-origin');
const modelError = byTestId<HTMLElement>('model-error');

let pageModel: PageModel | undefined;

/** Reads the pad, prepares the digit as MNIST's were, and shows what the model makes of it. */
const predictFromPad = (): void => {
  const started = performance.now();
  const context = padCanvas.getContext('2d', { willReadFrequently: true });
  if (context === null || pageModel === undefined) return;
  const prepared = mnistInputFromRgba(context.getImageData(0, 0, padCanvas.width, padCanvas.height));
  const pixels = E.isRight(prepared) ? prepared.right : undefined;
  showModelInput(inputCanvas, pixels);
  showProbabilities(
    probabilities,
    prediction,
    pixels === undefined ? undefined : classify(pageModel, pixels),
    pageModel.classNames,
  );
  const milliseconds = performance.now() - started;
  prediction.dataset['latencyMs'] = pixels === undefined ? '' : milliseconds.toFixed(2);
  latency.textContent = pixels === undefined ? '' : `read in ${milliseconds.toFixed(1)} ms`;
};

const pad = digitPad(padCanvas, { onChange: predictFromPad });
byTestId<HTMLButtonElement>('clear').addEventListener('click', () => pad.clear());

const useModel = (model: PageModel): void => {
  pageModel = model;
  modelOrigin.textContent = model.origin;
  modelOrigin.dataset['ready'] = 'true';
  modelError.hidden = true;
  showProbabilities(probabilities, prediction, undefined, model.classNames);
  if (!pad.isEmpty()) predictFromPad();
};
const modelFailed = (message: string): void => {
  modelError.textContent = message;
  modelError.hidden = false;
};

const defaultModelUrl = new URL('model/model.json', document.baseURI).href;
void loadPageModel(defaultModelUrl, 'the default model (axon train, 3 epochs)').then(E.match(modelFailed, useModel));

byTestId<HTMLInputElement>('open-model').addEventListener('change', (event) => {
  const files = (event.target as HTMLInputElement).files;
  if (files === null || files.length === 0) return;
  void modelBytesOf(files).then(async (picked) => {
    if (E.isLeft(picked)) return modelFailed(picked.left);
    E.match(
      modelFailed,
      useModel,
    )(await loadPageModel(picked.right.bytes, `${picked.right.folder} (opened from this computer)`));
  });
});

// Training in a worker.
const trainButton = byTestId<HTMLButtonElement>('train');
const backendInfo = byTestId<HTMLElement>('backend-info');
const trainStatus = byTestId<HTMLElement>('train-status');
const trainResult = byTestId<HTMLElement>('train-result');
const chart = byTestId<HTMLCanvasElement>('chart');
const numberOf = (id: string): number => Number(byTestId<HTMLInputElement>(id).value);

drawTrainingChart(chart, [], 1);

trainButton.addEventListener('click', () => {
  const request: TrainRequest = {
    kind: 'train',
    backend: byTestId<HTMLSelectElement>('backend').value as PageBackend,
    gpuMode: byTestId<HTMLSelectElement>('gpu-mode').value as GpuModeRequest,
    threads: numberOf('threads'),
    settings: { samples: numberOf('samples'), epochs: numberOf('epochs'), batchSize: 128, seed: 0 },
    dataUrl: new URL('mnist/', document.baseURI).href,
  };
  const worker = new Worker(new URL('./training/worker.ts', import.meta.url), { type: 'module' });
  const points: ChartPoint[] = [];
  const stepSeconds: number[] = [];
  trainButton.disabled = true;
  backendInfo.textContent = '';
  trainResult.textContent = '';
  delete trainResult.dataset['loss'];
  delete trainResult.dataset['error'];
  delete trainResult.dataset['weights'];
  const finish = (): void => {
    worker.terminate();
    trainButton.disabled = false;
  };
  worker.onmessage = (event: MessageEvent<TrainReport>) => {
    const report = event.data;
    switch (report.kind) {
      case 'status':
        trainStatus.textContent = report.text;
        return;
      case 'backend':
        backendInfo.textContent = report.description;
        backendInfo.dataset['backend'] = report.backend;
        backendInfo.dataset['mode'] = report.mode ?? '';
        backendInfo.dataset['threads'] = report.threads === undefined ? '' : String(report.threads);
        backendInfo.dataset['fma'] = report.fma === undefined ? '' : String(report.fma);
        return;
      case 'batch':
        points.push({ step: report.step, loss: report.loss, accuracy: report.accuracy });
        stepSeconds.push(report.seconds);
        // Each batch's time since the epoch began, for the browser tests' timing report.
        chart.dataset['stepSeconds'] = JSON.stringify(stepSeconds);
        drawTrainingChart(chart, points, report.batches * report.epochs);
        trainStatus.textContent = `epoch ${report.epoch}/${report.epochs}, batch ${report.batch}/${report.batches}: loss ${report.meanLoss.toFixed(4)}, accuracy ${report.meanAccuracy.toFixed(4)}`;
        return;
      case 'epoch':
        trainStatus.textContent = `epoch ${report.epoch} done in ${report.seconds.toFixed(1)} s: loss ${report.loss.toFixed(4)}, accuracy ${report.accuracy.toFixed(4)}`;
        return;
      case 'done': {
        const weights = weightsFingerprint(report.params);
        Object.assign(trainResult.dataset, {
          loss: String(report.loss),
          accuracy: String(report.accuracy),
          seconds: String(report.seconds),
          backend: request.backend,
          weights,
        });
        trainResult.textContent = `trained on ${request.backend} in ${report.seconds.toFixed(1)} s: loss ${report.loss.toFixed(4)}, accuracy ${report.accuracy.toFixed(4)}, weights ${weights} (a fingerprint of their bits); the pad now reads with this model`;
        const model = tutorialPlan().model;
        useModel({
          model,
          params: fromTransfer(report.params),
          state: undefined,
          inputShape: [28, 28],
          classNames: Array.from({ length: 10 }, (_, i) => String(i)),
          normalization: { kind: 'scale', scale: 1 / 255 },
          origin: `trained in this page on ${request.backend}`,
        });
        finish();
        return;
      }
      case 'error':
        trainStatus.textContent = '';
        trainResult.textContent = `training failed: ${report.message}`;
        trainResult.dataset['error'] = report.message;
        finish();
        return;
    }
  };
  worker.onerror = (event) => {
    trainResult.textContent = `training failed: ${event.message}`;
    finish();
  };
  worker.postMessage(request);
});

byTestId<HTMLElement>('isolation').textContent = crossOriginIsolated
  ? 'This page is cross-origin isolated: the WebAssembly backend may share memory between threads.'
  : 'This page is not cross-origin isolated (serve it with `axon serve`): the WebAssembly backend runs on one thread.';
