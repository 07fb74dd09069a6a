#!/usr/bin/env node
// The `axon` command: the process edge. Everything it does is in runCli.
import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { exitCode, runCli } from './cli.js';
import { readAxonVersion } from './edge/version.js';

const version = readAxonVersion();
if (E.isLeft(version)) {
  process.stderr.write(`axon: ${version.left}\n`);
  process.exitCode = exitCode.failure;
} else {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: () => performance.now(),
    version: version.right,
  });
}
