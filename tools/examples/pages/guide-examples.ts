/** An example file the guide shows and runs. */
export interface GuideExample {
  /** Under tools/examples/src. */
  readonly file: string;
  /** What the tests pass to run it quickly; the pages show a run with no arguments. */
  readonly quickArgs: readonly string[];
  /**
   * `'exact'`: every run prints what the page shows, character for character.
   * `'varies'`: it trains, so a quick run prints the same lines with other numbers.
   */
  readonly output: 'exact' | 'varies';
}

/** The guide's examples, in the order of its chapters. */
export const guideExamples: readonly GuideExample[] = [
  { file: 'guide/neuron.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/activations.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/losses.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/forward-pass.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/backpropagation.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/optimizers.ts', quickArgs: ['1000', '3'], output: 'varies' },
  { file: 'mnist-tutorial.ts', quickArgs: [], output: 'varies' },
  { file: 'guide/explain.ts', quickArgs: ['2000', '1'], output: 'varies' },
  { file: 'guide/little-data.ts', quickArgs: ['500', '3'], output: 'varies' },
  { file: 'guide/convolution.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/pooling.ts', quickArgs: [], output: 'exact' },
  { file: 'guide/convnet.ts', quickArgs: ['2000', '1'], output: 'varies' },
];
