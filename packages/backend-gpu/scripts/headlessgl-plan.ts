/** What this machine offers for running a suite in gpu.js's headlessgl mode. */
export interface HeadlessGlFacts {
  /** `CI=true`: a missing mode is an error there, since CI installs everything it needs. */
  readonly ci: boolean;
  /** An X display is set (`DISPLAY`). */
  readonly hasDisplay: boolean;
  /** `xvfb-run` is installed, to start a virtual display. */
  readonly hasXvfbRun: boolean;
  /** Why headless-gl (the optional native package `gl`) does not load, or undefined when it does. */
  readonly glLoadError: string | undefined;
}

/** Run the suite as it is, under `xvfb-run -a`, or not at all (then `message` says why, and `fail` whether that fails the run). */
export type HeadlessGlPlan =
  { readonly run: 'direct' | 'xvfb-run' } | { readonly run: 'none'; readonly fail: boolean; readonly message: string };

const howToGetGl =
  'headless-gl is built from source when npm installs it, which needs a C++ toolchain and the X and GL headers ' +
  '(Debian: apt-get install build-essential python3 pkg-config libx11-dev libxext-dev libxi-dev libglu1-mesa-dev), then npm rebuild gl';

/**
 * Whether and how the headlessgl suite can run here. It needs headless-gl to load and an
 * X display, real or from `xvfb-run`. When it cannot run, outside CI the run passes with
 * a message saying plainly that the suite did not run and why; under CI it fails.
 *
 * @example
 * ```ts
 * headlessGlPlan({ ci: false, hasDisplay: false, hasXvfbRun: true, glLoadError: "Cannot find module 'gl'" });
 * // { run: 'none', fail: false, message: "headlessgl suite NOT run: headless-gl (the optional package 'gl') does not load (Cannot find module 'gl'); …" }
 * ```
 */
export const headlessGlPlan = ({ ci, hasDisplay, hasXvfbRun, glLoadError }: HeadlessGlFacts): HeadlessGlPlan => {
  const notRun = (why: string): HeadlessGlPlan => ({
    run: 'none',
    fail: ci,
    message: `headlessgl suite NOT run: ${why}`,
  });
  if (glLoadError !== undefined) {
    return notRun(
      `headless-gl (the optional package 'gl') does not load (${glLoadError.split('\n')[0]}); ${howToGetGl}`,
    );
  }
  if (hasDisplay) return { run: 'direct' };
  if (hasXvfbRun) return { run: 'xvfb-run' };
  return notRun(
    'there is no X display (DISPLAY is unset) and xvfb-run is not installed (Debian: apt-get install xvfb xauth)',
  );
};
