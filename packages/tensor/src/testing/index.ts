/**
 * Test helpers other packages import in their own tests: the finite-difference
 * gradient checker and the backend parity suite.
 */
export {
  assertGradients,
  checkGradients,
  type GradientCheckOptions,
  type GradientCheckReport,
  type GradientMismatch,
} from './check-gradients.js';
export { parityCases, type ParityCase } from './parity.js';
export { backendGradientCases, tieFreeValues, unaryGradientCases, type UnaryGradientCase } from './gradient-cases.js';
