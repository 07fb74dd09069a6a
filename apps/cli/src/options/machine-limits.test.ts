import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkMachineLimits } from './machine-limits.js';
import { parseArgs } from './parse-args.js';

const parsed = (...argv: string[]) => {
  const result = parseArgs(argv, '0.0.0');
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

describe('checkMachineLimits', () => {
  it('accepts --threads up to the cores of the machine, and refuses more, naming the limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('train', 'evaluate', 'predict'),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 1, max: 4096 }),
        (command, cores, threads) => {
          const extra =
            command === 'train' ? [] : command === 'evaluate' ? ['--model', 'm'] : ['--model', 'm', '--index', '0'];
          const result = checkMachineLimits(parsed(command, ...extra, '--threads', String(threads)), {
            cores,
            memoryBytes: 2 ** 33,
          });
          expect(result).toEqual(
            threads <= cores
              ? E.right(undefined)
              : E.left(`--threads: expected at most ${cores} (the threads this machine runs at once), got ${threads}`),
          );
        },
      ),
    );
    expect(checkMachineLimits(parsed('info'), { cores: 1, memoryBytes: 1 })).toEqual(E.right(undefined));
    expect(checkMachineLimits(parsed('train'), { cores: 1, memoryBytes: 1 })).toEqual(E.right(undefined));
  });
});
