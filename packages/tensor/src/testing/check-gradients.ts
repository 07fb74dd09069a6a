import { jsBackend } from '../backend/js/index.js';
import { isFloat } from '../core/dtype.js';
import { showShape } from '../core/error.js';
import type { Tensor } from '../core/tensor.js';
import { valueAndGrad } from '../autodiff/grad.js';
import { fromValues } from '../ops/operand.js';
import { treeEntries, treeMap, treeUnflatten, type TensorTree } from '../tree/tree.js';

/** Tolerances for {@link checkGradients}. */
export interface GradientCheckOptions {
  /** Step of the central difference (default 1e-5). */
  readonly epsilon?: number;
  /** Relative tolerance (default 1e-6, for float64). */
  readonly rtol?: number;
  /** Absolute tolerance, scaled by max(1, |f(x)|) (default 1e-8). */
  readonly atol?: number;
}

/** The worst disagreement a gradient check found. */
export interface GradientMismatch {
  /** Path of the parameter in the tree, e.g. `layers/0/kernel`, and the flat element index. */
  readonly path: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
  /** |analytic - numeric| divided by the allowed error; above 1 fails. */
  readonly ratio: number;
}

/** The outcome of {@link checkGradients}. */
export interface GradientCheckReport {
  readonly ok: boolean;
  /** Elements compared. */
  readonly checked: number;
  readonly worst: GradientMismatch | undefined;
  /**
   * Why the check failed before comparing values: there was nothing to compare, or an
   * analytic gradient's shape or dtype differs from its parameter's.
   */
  readonly problem?: string;
}

const toFloat64 = (x: Tensor): Tensor => fromValues('float64', Float64Array.from(x.values), x.shape, jsBackend);

/**
 * What makes a check meaningless before any value is compared: no elements at all, or
 * an analytic gradient that does not have its parameter's shape and dtype.
 */
const structuralProblem = (
  params: readonly [string, Tensor][],
  grads: readonly [string, Tensor][],
): string | undefined => {
  if (params.every(([, p]) => p.size === 0)) {
    return params.length === 0
      ? 'the parameter tree has no tensors: nothing to check'
      : 'every parameter is empty: nothing to check';
  }
  for (const [i, [path, p]] of params.entries()) {
    const g = grads[i]?.[1];
    const name = path || 'argument';
    if (g === undefined) return `no analytic gradient for ${name}`;
    if (g.dtype !== p.dtype || showShape(g.shape) !== showShape(p.shape)) {
      return `the analytic gradient of ${name} is ${g.dtype}${showShape(g.shape)}, but the parameter is ${p.dtype}${showShape(p.shape)}`;
    }
  }
  return undefined;
};

/**
 * Compares the reverse-mode gradient of scalar `f` at `params` with central finite
 * differences, `(f(x + h) - f(x - h)) / 2h`, element by element. The analytic gradient
 * is taken on `params` as given (any dtype, any backend) and must have each parameter's
 * shape and dtype; the numeric one is always taken in float64 on the reference backend,
 * so `f` must build its constants in its inputs' dtype. A check with nothing to compare
 * (an empty tree) fails: it could not catch anything.
 *
 * Keep sample points away from kinks (relu at 0, abs at 0, ties in max): there the two
 * sides of the difference see different branches.
 *
 * @example
 * ```ts
 * const report = checkGradients((p) => sum(tanh(p)), tensor([0.3, -1.2], { dtype: 'float64' }));
 * report.ok; // true
 * ```
 */
export const checkGradients = <P extends TensorTree>(
  f: (params: P) => Tensor,
  params: P,
  options: GradientCheckOptions = {},
): GradientCheckReport => {
  const epsilon = options.epsilon ?? 1e-5;
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? 1e-8;
  const { value, grads } = valueAndGrad(f)(params);
  const paramLeaves = treeEntries(params);
  const analyticLeaves = treeEntries(grads);
  const problem = structuralProblem(paramLeaves, analyticLeaves);
  if (problem !== undefined) return { ok: false, checked: 0, worst: undefined, problem };
  const scale = Math.max(1, Math.abs(value.item()));
  const base = treeMap(params, toFloat64);
  const baseLeaves = treeEntries(base);
  const evaluate = (leafIndex: number, element: number, delta: number): number => {
    const leaves = baseLeaves.map(([, t], i) => {
      if (i !== leafIndex) return t;
      const values = Float64Array.from(t.values);
      values[element] += delta;
      return fromValues('float64', values, t.shape, jsBackend);
    });
    return f(treeUnflatten(base, leaves)).item();
  };
  let worst: GradientMismatch | undefined;
  let checked = 0;
  baseLeaves.forEach(([path, leafTensor], leafIndex) => {
    if (!isFloat(leafTensor.dtype))
      throw new TypeError(`checkGradients: ${path} is not a float tensor ${showShape(leafTensor.shape)}`);
    const analytic = analyticLeaves[leafIndex][1].values;
    for (let element = 0; element < leafTensor.size; element++) {
      const numeric = (evaluate(leafIndex, element, epsilon) - evaluate(leafIndex, element, -epsilon)) / (2 * epsilon);
      const allowed = atol * scale + rtol * Math.max(Math.abs(numeric), Math.abs(analytic[element]));
      const error = Math.abs(numeric - analytic[element]);
      const ratio = Number.isNaN(error) ? Infinity : error / allowed;
      checked++;
      if (worst === undefined || ratio > worst.ratio) {
        worst = { path, index: element, analytic: analytic[element], numeric, ratio };
      }
    }
  });
  return { ok: worst === undefined || worst.ratio <= 1, checked, worst };
};

/**
 * {@link checkGradients}, throwing an error that describes the worst element when the
 * check fails, for use inside property tests.
 */
export const assertGradients = <P extends TensorTree>(
  f: (params: P) => Tensor,
  params: P,
  options: GradientCheckOptions = {},
): void => {
  const report = checkGradients(f, params, options);
  if (report.problem !== undefined) throw new Error(`gradient check: ${report.problem}`);
  if (!report.ok && report.worst !== undefined) {
    const { path, index, analytic, numeric, ratio } = report.worst;
    throw new Error(
      `gradient mismatch at ${path || 'argument'}[${index}]: analytic ${analytic}, numeric ${numeric} (${ratio.toFixed(1)}x the tolerance)`,
    );
  }
};
