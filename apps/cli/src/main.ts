#!/usr/bin/env node
// The `axon` command: the process edge. Everything it does is in runCli.
import { availableParallelism, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { exitCode, runCli } from './cli.js';
import { outputOutcome, watchOutput } from './edge/output-errors.js';
import { readAxonVersion } from './edge/version.js';

const stdout = watchOutput(process.stdout);
const stderr = watchOutput(process.stderr);
const version = readAxonVersion();
if (E.isLeft(version)) {
  process.stderr.write(`axon: ${version.left}\n`);
  process.exitCode = exitCode.failure;
} else {
  const status = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: () => performance.now(),
    version: version.right,
    // A container's memory limit, where there is one, is what the process can really use.
    machine: {
      cores: availableParallelism(),
      memoryBytes: Math.min(totalmem(), process.constrainedMemory() ?? Infinity),
    },
  });
  const afterStdout = outputOutcome(status, 'standard output', await stdout.settled());
  if (afterStdout.message !== undefined) process.stderr.write(`${afterStdout.message}\n`);
  // A failed stderr has no one to tell; it only sets the status.
  process.exitCode = outputOutcome(afterStdout.status, 'standard error', await stderr.settled()).status;
}
