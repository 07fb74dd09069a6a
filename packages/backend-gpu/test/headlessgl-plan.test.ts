import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headlessGlPlan, type HeadlessGlFacts } from '../scripts/headlessgl-plan.js';

const factsArb: fc.Arbitrary<HeadlessGlFacts> = fc.record({
  ci: fc.boolean(),
  hasDisplay: fc.boolean(),
  hasXvfbRun: fc.boolean(),
  glLoadError: fc.option(fc.constantFrom("Cannot find module 'gl'", 'libGL.so.1: cannot open shared object file'), {
    nil: undefined,
  }),
});

describe('headlessGlPlan', () => {
  it('runs the suite exactly when headless-gl loads and there is a display, real or from xvfb-run', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const runs = facts.glLoadError === undefined && (facts.hasDisplay || facts.hasXvfbRun);
        expect(headlessGlPlan(facts).run !== 'none').toBe(runs);
      }),
    );
  });

  it('never passes silently: when the suite does not run, it says so, failing under CI and only there', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const plan = headlessGlPlan(facts);
        if (plan.run !== 'none') return;
        expect(plan.fail).toBe(facts.ci);
        expect(plan.message).toMatch(/^headlessgl suite NOT run: /);
      }),
    );
  });

  it('outside CI, with xvfb-run but no headless-gl, passes and says why and how to get it', () => {
    const plan = headlessGlPlan({
      ci: false,
      hasDisplay: false,
      hasXvfbRun: true,
      glLoadError: "Cannot find module 'gl'\nRequire stack:\n- x",
    });
    expect(plan).toEqual({
      run: 'none',
      fail: false,
      message: expect.stringContaining(
        "headless-gl (the optional package 'gl') does not load (Cannot find module 'gl');",
      ),
    });
    expect(plan.run === 'none' && plan.message).toMatch(/libx11-dev .*npm rebuild gl$/);
  });

  it('prefers a real display to xvfb-run', () => {
    expect(headlessGlPlan({ ci: true, hasDisplay: true, hasXvfbRun: true, glLoadError: undefined })).toEqual({
      run: 'direct',
    });
    expect(headlessGlPlan({ ci: true, hasDisplay: false, hasXvfbRun: true, glLoadError: undefined })).toEqual({
      run: 'xvfb-run',
    });
  });
});
