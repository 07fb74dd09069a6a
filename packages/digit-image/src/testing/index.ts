/**
 * @axon/digit-image/testing: synthetic digits (a 1, a 7 and a 0 as shapes in the unit
 * square) rendered with anti-aliased coverage, for tests of digit preprocessing here,
 * in the CLI and in the browser playground.
 *
 * @example
 * ```ts
 * import { coverage, opaqueGrey, rgba, seven } from '@axon/digit-image/testing';
 * const placement = { width: 64, height: 64, left: 8, top: 8, size: 48 };
 * const covered = coverage(seven, placement);
 * const image = { width: 64, height: 64, data: rgba(covered.length, (i) => opaqueGrey(255 * (1 - covered[i]))) };
 * ```
 */
export { coverage, one, opaqueGrey, rgba, seven, zero, type Placement, type Shape } from './shapes.js';
