import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tutorialSettings } from '../training/settings.js';
import { chooseReporter } from './choose-reporter.js';
import { recorder } from '../../test/support/recorder.js';
import type { BatchProgress, EpochEnd, TrainingDone, TrainingReporter, TrainingStart } from './training-events.js';
import { doneLine, startLine } from './training-lines.js';

const start: TrainingStart = {
  settings: { ...tutorialSettings, seed: 42 },
  backend: 'js',
  trainSamples: 60000,
  validationSamples: 0,
  testSamples: 10000,
};
const done: TrainingDone = { testLoss: 0.0712, testAccuracy: 0.97812, trainSeconds: 93.2, modelDir: './model' };

const metric = fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(Number.NaN));
const epochEvent = (epochs: number): fc.Arbitrary<EpochEnd> =>
  fc
    .record(
      {
        epoch: fc.integer({ min: 1, max: epochs }),
        epochs: fc.constant(epochs),
        loss: metric,
        accuracy: metric,
        valLoss: metric,
        valAccuracy: metric,
        seconds: fc.double({ min: 0, max: 1e4, noNaN: true }),
        samplesPerSecond: fc.double({ min: 0, max: 1e7, noNaN: true }),
      },
      { requiredKeys: ['epoch', 'epochs', 'loss', 'accuracy', 'seconds', 'samplesPerSecond'] },
    )
    .filter((e) => (e.valLoss === undefined) === (e.valAccuracy === undefined));

/** Plays a run: start, a few batches and the end of each epoch, done. */
function play(reporter: TrainingReporter, epochs: readonly EpochEnd[]): void {
  reporter.start(start);
  for (const epoch of epochs) {
    for (const samplesDone of [128, 30000, 60000]) {
      const batch: BatchProgress = {
        epoch: epoch.epoch,
        epochs: epoch.epochs,
        samplesDone,
        samplesTotal: 60000,
        loss: 0.5,
        accuracy: 0.8,
      };
      reporter.batch(batch);
    }
    reporter.epoch(epoch);
  }
  reporter.done(done);
}

const plainText = /^[\x20-\x7e\u00a0-\uffff\n]*$/;

describe('plain lines (not a terminal)', () => {
  it('writes one line to start, one per epoch and one at the end, without control characters', () => {
    fc.assert(
      fc.property(fc.array(epochEvent(12), { maxLength: 12 }), (epochs) => {
        const { stream, text } = recorder(false);
        play(chooseReporter({ json: false, quiet: false, stream, clock: () => 0 }), epochs);
        const lines = text().split('\n');
        expect(lines.pop()).toBe('');
        expect(lines).toHaveLength(epochs.length + 2);
        expect(text()).toMatch(plainText);
        expect(lines[0]).toBe(
          'Training on mnist: 60,000 samples, hidden 128, 128 (relu), adam at 0.001, 10 epochs of 128, seed 42, backend js',
        );
        epochs.forEach((epoch, i) => {
          expect(lines[i + 1]).toContain(`epoch ${String(epoch.epoch).padStart(2)}/12  loss `);
          expect(lines[i + 1].includes('val_loss')).toBe(epoch.valLoss !== undefined);
        });
        expect(lines.at(-1)).toBe('test accuracy 97.81% (loss 0.0712), trained in 1m 33s, model written to ./model');
      }),
      { numRuns: 50 },
    );
  });

  it('writes only the result with --quiet', () => {
    fc.assert(
      fc.property(fc.array(epochEvent(3), { maxLength: 3 }), fc.boolean(), (epochs, isTTY) => {
        const { stream, text } = recorder(isTTY);
        play(chooseReporter({ json: false, quiet: true, stream, clock: () => 0 }), epochs);
        expect(text()).toBe('test accuracy 97.81% (loss 0.0712), trained in 1m 33s, model written to ./model\n');
      }),
      { numRuns: 10 },
    );
  });
});

describe('JSON lines (--json)', () => {
  it('writes only JSON objects: start with the settings, one per epoch, done', () => {
    fc.assert(
      fc.property(fc.array(epochEvent(5), { maxLength: 5 }), fc.boolean(), (epochs, isTTY) => {
        const { stream, text } = recorder(isTTY);
        const reporter = chooseReporter({ json: true, quiet: true, stream, clock: () => 0 });
        play(reporter, epochs);
        reporter.error('disk full');
        const objects = text()
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        // Layers as --layers lists them: the tutorial's dense layers as plain numbers, as before --layers knew other kinds.
        expect(objects[0]).toEqual({
          event: 'start',
          ...start.settings,
          layers: [128, 128],
          backend: 'js',
          trainSamples: 60000,
          validationSamples: 0,
          testSamples: 10000,
        });
        epochs.forEach((epoch, i) => {
          const expected: Record<string, unknown> = { event: 'epoch', ...epoch };
          for (const [key, value] of Object.entries(expected)) if (Number.isNaN(value)) expected[key] = null;
          expect(objects[i + 1]).toEqual(expected);
          expect(Object.keys(objects[i + 1])).toEqual([
            'event',
            'epoch',
            'epochs',
            'loss',
            'accuracy',
            ...(epoch.valLoss === undefined ? [] : ['valLoss', 'valAccuracy']),
            'seconds',
            'samplesPerSecond',
          ]);
        });
        expect(objects.at(-2)).toEqual({ event: 'done', ...done });
        expect(objects.at(-1)).toEqual({ event: 'error', message: 'disk full' });
        expect(objects).toHaveLength(epochs.length + 3);
      }),
      { numRuns: 50 },
    );
  });
});

describe('terminal progress', () => {
  it('shows a bar with samples per second, time left and running metrics, then the epoch summary', () => {
    const { stream, text } = recorder(true);
    let now = 0;
    const reporter = chooseReporter({ json: false, quiet: false, stream, clock: () => now });
    reporter.start(start);
    reporter.batch({ epoch: 1, epochs: 10, samplesDone: 1000, samplesTotal: 9000, loss: 0.9, accuracy: 0.5 });
    now = 2000;
    reporter.batch({ epoch: 1, epochs: 10, samplesDone: 5000, samplesTotal: 9000, loss: 0.31234, accuracy: 0.8765 });
    reporter.epoch({ epoch: 1, epochs: 10, loss: 0.3, accuracy: 0.9, seconds: 3.1, samplesPerSecond: 2903 });
    const output = text();
    // 4,000 samples in the 2 s since the first report; 4,000 left at 2,000 per second.
    expect(output).toContain('epoch  1/10 [');
    expect(output).toContain('] 5000/9000 | 2,000 samples/s | ETA 2.0s | loss 0.3123 | acc 0.8765');
    expect(output).toContain('\x1b');
    expect(output.endsWith('epoch  1/10  loss 0.3000  accuracy 0.9000  3.1s  2,903 samples/s\n')).toBe(true);
  });

  it('starts a fresh bar each epoch and leaves no bar behind after an error', () => {
    const { stream, text } = recorder(true);
    let now = 0;
    const reporter = chooseReporter({ json: false, quiet: false, stream, clock: () => (now += 500) });
    play(
      reporter,
      [1, 2].map((epoch) => ({ epoch, epochs: 2, loss: 0.1, accuracy: 0.9, seconds: 1, samplesPerSecond: 60000 })),
    );
    expect(text().match(/epoch 1\/2 \[/g)?.length).toBeGreaterThan(0);
    expect(text().match(/epoch 2\/2 \[/g)?.length).toBeGreaterThan(0);
    const lengthBefore = text().length;
    reporter.batch({ epoch: 1, epochs: 2, samplesDone: 128, samplesTotal: 60000, loss: 1, accuracy: 0.1 });
    reporter.error('interrupted');
    const after = text().slice(lengthBefore);
    // The bar is drawn, then its line is cleared (ESC [ 2 K or ESC [ 0 K and a carriage return).
    expect(after).toContain('epoch 1/2 [');
    expect(after.slice(after.lastIndexOf('epoch 1/2 ['))).toMatch(/\x1b\[[0-2]?K/);
  });
});

describe('the start and done lines with the options beyond the tutorial', () => {
  it('name the schedule, warm-up, weight decay, clipping and early stopping, and what early stopping kept', () => {
    const settings = {
      ...tutorialSettings,
      seed: 1,
      lrSchedule: 'exponential' as const,
      lrDecay: 0.9,
      warmupSteps: 100,
      weightDecay: 0.01,
      clipNorm: 1,
      earlyStopping: 3,
    };
    expect(startLine({ ...start, settings, validationSamples: 6000, trainSamples: 54000 })).toBe(
      'Training on mnist: 54,000 samples + 6,000 for validation, hidden 128, 128 (relu), adam at 0.001 (× 0.9 per epoch, 100 warm-up steps), ' +
        'weight decay 0.01, gradients clipped at norm 1, 10 epochs of 128 (stopping after 3 without a better val_loss), seed 1, backend js',
    );
    expect(
      startLine({ ...start, settings: { ...tutorialSettings, seed: 1, lrSchedule: 'cosine', warmupSteps: 1 } }),
    ).toContain('adam at 0.001 (cosine decay, 1 warm-up step), 10 epochs');
    expect(doneLine({ ...done, stoppedEarly: { epoch: 7, bestEpoch: 4 } })).toBe(
      'stopped early after epoch 7 with the weights of epoch 4 (best val_loss), test accuracy 97.81% (loss 0.0712), trained in 1m 33s, model written to ./model',
    );
  });
});
