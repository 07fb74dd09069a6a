// One run on real MNIST as a newcomer gets it: no --data-dir, nothing in $AXON_DATA_DIR or
// the cache, so the copy bundled with axon (@axon/mnist-data); a few thousand samples, one epoch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLine, EvaluationJson, trainingEvents } from '../support/json-lines.js';
import { createSandbox, linesOf, runAxon, type Sandbox, succeeded } from '../support/run-axon.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox('mnist');
});

afterAll(() => sandbox.remove());

describe('real MNIST, bundled', () => {
  it('trains the tutorial network on 3,000 digits in one epoch to over 80% on the 10,000 test digits, and evaluate agrees', async () => {
    const train = [
      'train',
      '--limit',
      '3000',
      '--epochs',
      '1',
      '--batch-size',
      '32',
      '--seed',
      '1',
      '--backend',
      'wasm',
      '--out',
      'mnist-model',
      '--json',
    ];
    const events = trainingEvents(succeeded(await runAxon(train, { sandbox })).stdout);
    const done = events.at(-1);
    if (done?.event !== 'done') throw new Error(`the run did not finish: ${JSON.stringify(done)}`);
    expect(events[0]).toMatchObject({ event: 'start', dataset: 'mnist', trainSamples: 3000, testSamples: 10_000 });
    expect(done.testAccuracy).toBeGreaterThan(0.8);

    const evaluate = ['evaluate', '--model', 'mnist-model', '--backend', 'wasm', '--json'];
    const { stdout } = succeeded(await runAxon(evaluate, { sandbox }));
    expect(linesOf(stdout)).toHaveLength(1);
    const report = decodeLine(EvaluationJson, stdout);
    expect(report).toMatchObject({
      dataset: 'mnist',
      samples: 10_000,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
    expect(report.accuracy).toBe(done.testAccuracy);
    expect(report.loss).toBeCloseTo(done.testLoss, 5);
  });
});
