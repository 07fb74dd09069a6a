/**
 * Test helpers other packages import in their own tests: the finite-difference
 * gradient checker (with `gradientProbe` for higher orders), the backend parity and
 * gradient suites, and composite reference convolution and pooling.
 */
export {
  assertGradients,
  checkGradients,
  type GradientCheckOptions,
  type GradientCheckReport,
  type GradientMismatch,
} from './check-gradients.js';
export { parityCases, type ParityCase } from './parity.js';
export {
  assertDifferentiableMoves,
  backendGradientCases,
  gradientProbe,
  tieFreeValues,
  unaryGradientCases,
  type UnaryGradientCase,
} from './gradient-cases.js';
export { referenceAvgPool2d, referenceConv2d, referenceMaxPool2d } from './reference-conv.js';
