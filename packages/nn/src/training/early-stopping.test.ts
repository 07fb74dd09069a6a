import { describe, expect, it } from 'vitest';
import {
  monitoredMetric,
  observe,
  startTracking,
  type EarlyStoppingOptions,
  type MonitoredMetric,
} from './early-stopping.js';

const track = (
  monitor: MonitoredMetric,
  options: EarlyStoppingOptions,
  values: readonly number[],
): { stoppedAt?: number; best?: number } => {
  let tracker = startTracking<number>(monitor);
  for (const [i, value] of values.entries()) {
    tracker = observe(tracker, options, monitor, value, i + 1);
    if (tracker.stop) return { stoppedAt: i + 1, best: tracker.bestItem };
  }
  return { best: tracker.bestItem };
};

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement, as Keras counts', () => {
    expect(track('loss', { patience: 2 }, [1, 0.9, 0.95, 0.92, 0.8])).toEqual({ stoppedAt: 4, best: 2 });
    expect(track('loss', { patience: 0 }, [1, 1.1])).toEqual({ stoppedAt: 2, best: 1 });
    expect(track('loss', { patience: 1 }, [1, 0.9, 0.8])).toEqual({ best: 3 });
  });

  it('maximizes accuracies and ignores changes below minDelta', () => {
    expect(track('valAccuracy', { patience: 1 }, [0.5, 0.6, 0.55])).toEqual({ stoppedAt: 3, best: 2 });
    expect(track('loss', { patience: 2, minDelta: 0.05 }, [1, 0.97, 0.96])).toEqual({ stoppedAt: 3, best: 1 });
  });

  it('watches the validation loss when there is validation data, and refuses val metrics without it', () => {
    expect(monitoredMetric({}, true)).toBe('valLoss');
    expect(monitoredMetric({}, false)).toBe('loss');
    expect(() => monitoredMetric({ monitor: 'valAccuracy' }, false)).toThrow('no validation data');
  });
});
