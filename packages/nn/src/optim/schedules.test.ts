import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asSchedule, constantSchedule, cosineDecay, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';

describe('schedules', () => {
  it('constant', () => {
    expect(constantSchedule(0.1)(0)).toBe(0.1);
    expect(asSchedule(0.3)(1e6)).toBe(0.3);
    const f = (step: number): number => 1 / (step + 1);
    expect(asSchedule(f)).toBe(f);
  });

  it('exponential decay, smooth or in stairs', () => {
    const smooth = exponentialDecay({ initialValue: 0.1, decaySteps: 100, decayRate: 0.5 });
    expect(smooth(0)).toBe(0.1);
    expect(smooth(50)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    expect(smooth(200)).toBeCloseTo(0.025, 15);
    const stairs = exponentialDecay({ initialValue: 0.1, decaySteps: 100, decayRate: 0.5, staircase: true });
    expect([stairs(99), stairs(100), stairs(250)]).toEqual([0.1, 0.05, 0.025]);
  });

  it('step decay drops by a factor every stepSize steps', () => {
    const lr = stepDecay({ initialValue: 0.1, stepSize: 1000, factor: 0.1 });
    expect(lr(999)).toBe(0.1);
    expect(lr(1000)).toBeCloseTo(0.01, 15);
    expect(lr(2500)).toBeCloseTo(0.001, 15);
  });

  it('cosine decay with warm-up, as Keras', () => {
    const lr = cosineDecay({ initialValue: 0, warmupTarget: 1e-3, warmupSteps: 100, decaySteps: 900, alpha: 0.1 });
    expect(lr(0)).toBe(0);
    expect(lr(50)).toBeCloseTo(5e-4, 15);
    expect(lr(100)).toBeCloseTo(1e-3, 15);
    expect(lr(550)).toBeCloseTo(1e-3 * (0.9 * 0.5 + 0.1), 15);
    expect(lr(1000)).toBeCloseTo(1e-4, 15);
    expect(lr(5000)).toBeCloseTo(1e-4, 15);
    expect(cosineDecay({ initialValue: 0.2, decaySteps: 10 })(10)).toBeCloseTo(0, 15);
  });

  it('never increase after the warm-up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.nat(2000),
        (decaySteps, warmupSteps, step) => {
          const lr = cosineDecay({ initialValue: 0, warmupTarget: 1, warmupSteps, decaySteps });
          const decay = exponentialDecay({ initialValue: 1, decaySteps, decayRate: 0.9 });
          if (step >= warmupSteps) expect(lr(step + 1)).toBeLessThanOrEqual(lr(step) + 1e-15);
          expect(decay(step + 1)).toBeLessThanOrEqual(decay(step));
        },
      ),
    );
  });

  it('linear warm-up before a cosine decay is cosine decay with its own warm-up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-5, max: 1, noNaN: true }),
        fc.nat(1000),
        (decaySteps, warmupSteps, from, peak, step) => {
          const joined = linearWarmup(cosineDecay({ initialValue: peak, decaySteps, alpha: 0.1 }), warmupSteps, from);
          const own = cosineDecay({ initialValue: from, warmupTarget: peak, warmupSteps, decaySteps, alpha: 0.1 });
          expect(joined(step)).toBeCloseTo(own(step), 12);
        },
      ),
    );
  });

  it('linear warm-up rises from 0 to where the schedule starts, then follows it shifted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.nat(300), (warmupSteps, step) => {
        const decay = exponentialDecay({ initialValue: 0.1, decaySteps: 10, decayRate: 0.5 });
        const lr = linearWarmup(decay, warmupSteps);
        if (step < warmupSteps) expect(lr(step)).toBeCloseTo((0.1 * step) / warmupSteps, 15);
        else expect(lr(step)).toBe(decay(step - warmupSteps));
        expect(linearWarmup(0.3, warmupSteps)(warmupSteps + step)).toBe(0.3);
      }),
    );
    expect(linearWarmup(0.3, 0)(0)).toBe(0.3);
  });
});
