import { describe, expect, it } from 'vitest';
import { hostStorage, jsBackend, type Backend } from '@axon/tensor';
import { backendGradientCases, parityCases } from '@axon/tensor/testing';

/** A copy of the reference backend under another name (so ops really move between backends). */
const renamed: Backend = { ...jsBackend, name: 'js-copy', priority: 1 };

/**
 * `values` with the element nearest to `target` (in magnitude) made a relative 1e-4
 * larger: one element really off by 1e-4, as a sloppy kernel's might be.
 */
const offInOneElement = (values: Float32Array, target: number): Float32Array => {
  const skewed = Float32Array.from(values);
  let at = 0;
  skewed.forEach((v, i) => {
    if (Math.abs(Math.abs(v) - target) < Math.abs(Math.abs(skewed[at]) - target)) at = i;
  });
  skewed[at] *= 1 + 1e-4;
  return skewed;
};

/**
 * A backend whose matmul is a relative 1e-4 off in one element of every product: the
 * element nearest a twentieth of the largest, which a tolerance of 1e-5 times the
 * largest element lets pass.
 */
const skewedMatmul: Backend = {
  ...renamed,
  name: 'skewed',
  matmul: (a, b, spec) => {
    const values = jsBackend.matmul(a, b, spec).read() as Float32Array;
    const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return hostStorage('float32', offInOneElement(values, largest / 20));
  },
};

/** A backend whose relu is a relative 1e-4 off in its output nearest 0.1. */
const skewedRelu: Backend = {
  ...renamed,
  name: 'skewed-relu',
  unary: (op, x) =>
    op === 'relu'
      ? hostStorage('float32', offInOneElement(jsBackend.unary(op, x).read() as Float32Array, 0.1))
      : jsBackend.unary(op, x),
};

/** A backend whose relu gradient forgets the mask, as a sloppy kernel might. */
const reluGradPassesAll: Backend = {
  ...renamed,
  name: 'relu-grad',
  activationGrad: (activation, dy, y) => (activation === 'relu' ? dy : jsBackend.activationGrad(activation, dy, y)),
};

/** A backend whose average pooling forgets the padding offset, as a sloppy kernel might. */
const unpaddedAvgPool: Backend = {
  ...renamed,
  name: 'unpadded-pool',
  avgPool2d: (x, geometry) => jsBackend.avgPool2d(x, { ...geometry, padTop: 0, padLeft: 0 }),
};

/** A backend whose kernel gradient is 1% too large. */
const scaledFilterGrad: Backend = {
  ...renamed,
  name: 'filter-grad',
  conv2dBackpropFilter: (x, dy, geometry) =>
    hostStorage(
      'float32',
      Float32Array.from(jsBackend.conv2dBackpropFilter(x, dy, geometry).read() as Float32Array, (v) => v * 1.01),
    ),
};

describe('the backend parity suite', () => {
  it.each(parityCases.map((c) => [c.name, c] as const))(
    'passes for a faithful copy of the reference: %s',
    (_name, c) => {
      expect(() => c.run(renamed)).not.toThrow();
    },
  );

  it.each(backendGradientCases.map((c) => [c.name, c] as const))(
    'checks gradients through a faithful copy of the reference: %s',
    (_name, c) => {
      expect(() => c.run(renamed)).not.toThrow();
    },
  );

  it('catches a relu gradient kernel that lets every cotangent through', () => {
    const c = backendGradientCases.find((p) => p.name === 'element-wise ops');
    expect(() => c?.run(reluGradPassesAll)).toThrow(/gradient mismatch/);
  });

  it('catches a matmul that is a relative 1e-4 off in one element', () => {
    const c = parityCases.find((p) => p.name.startsWith('matmul with every'));
    expect(() => c?.run(skewedMatmul)).toThrow(
      /matmul\(transposeA=false, transposeB=false\) on float32\[128,784\], float32\[784,128\]/,
    );
  });

  it('catches a relu that is a relative 1e-4 off in one small element', () => {
    const c = parityCases.find((p) => p.name === 'unary ops');
    expect(() => c?.run(skewedRelu)).toThrow(/relu on float32\[3,1025\]/);
  });

  it('catches average pooling that ignores same padding', () => {
    const c = parityCases.find((p) => p.name.startsWith('max and average pooling'));
    expect(() => c?.run(unpaddedAvgPool)).toThrow(/avgPool2d 3 \{"strides":2,"padding":"same"\} on float32\[2,7,6,3\]/);
  });

  it('catches a convolution kernel gradient that is off by 1%, in parity and in gradient checks', () => {
    const parity = parityCases.find((p) => p.name.startsWith('conv2d'));
    expect(() => parity?.run(scaledFilterGrad)).toThrow(/conv2dBackpropFilter \{\} on float32\[8,28,28,1\]/);
    const gradients = backendGradientCases.find((p) => p.name.startsWith('conv2d'));
    expect(() => gradients?.run(scaledFilterGrad)).toThrow(/gradient mismatch at kernel/);
  });
});
