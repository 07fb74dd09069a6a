import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor } from '@axon/tensor';
import { fromTransfer, toTransfer, weightsFingerprint } from '../src/training/transfer.js';

const floats = fc.float32Array({ minLength: 1, maxLength: 64, noDefaultInfinity: true });

describe('params between the training worker and the page', () => {
  it('round-trips a params tree through its transfer form, bit for bit', () => {
    fc.assert(
      fc.property(floats, floats, (w, b) => {
        const params = {
          dense: { kernel: tensor(w, { shape: [w.length] }), bias: tensor(b, { shape: [b.length] }) },
          extra: [tensor(b, { shape: [b.length] })],
        };
        const back = toTransfer(fromTransfer(toTransfer(params)));
        expect(back).toEqual(toTransfer(params));
        expect(weightsFingerprint(back)).toBe(weightsFingerprint(toTransfer(params)));
      }),
    );
  });

  it('gives another fingerprint when any one bit of any weight changes', () => {
    fc.assert(
      fc.property(floats, fc.nat(), fc.nat(31), (values, at, bit) => {
        const index = at % values.length;
        const flipped = Float32Array.from(values);
        new Uint32Array(flipped.buffer)[index] ^= 1 << bit;
        const tree = (v: Float32Array) => toTransfer({ w: tensor(v, { shape: [v.length] }) });
        expect(weightsFingerprint(tree(flipped))).not.toBe(weightsFingerprint(tree(values)));
      }),
    );
  });
});
