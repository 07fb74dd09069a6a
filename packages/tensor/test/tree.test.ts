import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  scalar,
  treeEntries,
  treeLeaves,
  treeMap,
  treeUnflatten,
  treeZipWith,
  type Tensor,
  type TensorTree,
} from '../src/index.js';

/** Random trees of scalars: records (with keys that look like indices, too), arrays and leaves. */
const treeArb: fc.Arbitrary<TensorTree> = fc.letrec<{ tree: TensorTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -9, max: 9 }).map((v) => scalar(v)),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('w', 'b', '0', '10', 'kernel'), tie('tree'), { maxKeys: 3 }),
  ),
})).tree;

const values = (tree: TensorTree): number[] => treeLeaves(tree).map((t) => t.item());

describe('tree utilities', () => {
  it('treeLeaves gives the tensors in treeEntries order', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        expect(treeLeaves(tree)).toEqual(treeEntries(tree).map(([, t]) => t));
      }),
    );
  });

  it('treeMap keeps the structure and visits leaves in order, with or without paths', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const seen: string[] = [];
        const withPaths = treeMap(tree, (x: Tensor, path: string) => {
          seen.push(path);
          return x;
        });
        expect(seen).toEqual(treeEntries(tree).map(([p]) => p));
        const plain = treeMap(tree, (x) => scalar(x.item() * 2));
        expect(values(plain)).toEqual(values(tree).map((v) => v * 2));
        expect(treeEntries(plain).map(([p]) => p)).toEqual(treeEntries(withPaths).map(([p]) => p));
        expect(values(treeUnflatten(tree, treeLeaves(plain)))).toEqual(values(plain));
      }),
    );
  });

  it('treeZipWith combines trees of one structure and refuses any other', () => {
    fc.assert(
      fc.property(treeArb, (a) => {
        const b = treeMap(a, (x) => scalar(x.item() + 100));
        expect(values(treeZipWith((x, y) => scalar(y.item() - x.item()), a, b))).toEqual(values(a).map(() => 100));
      }),
    );
    const x = scalar(1);
    const refused: [TensorTree, TensorTree][] = [
      [
        { a: x, b: x },
        { b: x, a: x },
      ],
      [[x, x], { 0: x, 1: x }],
      [[x], [x, x]],
      [{ a: x }, { a: [x] }],
    ];
    refused.forEach(([a, b]) => expect(() => treeZipWith((p) => p, a, b)).toThrow(/trees differ in structure/));
    expect(
      values(treeZipWith((p, q) => scalar(p.item() - q.item()), { a: [x, scalar(5)] }, { a: [scalar(3), x] })),
    ).toEqual([-2, 4]);
  });
});
