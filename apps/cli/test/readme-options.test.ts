import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../src/options/command.js';
import { longFlag } from '../src/options/option-spec.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
/** The README's section on the `axon` command, up to the next section. */
const commandSection = readme.slice(
  readme.indexOf('## The `axon` command'),
  readme.indexOf('\n## ', readme.indexOf('## The `axon` command') + 1),
);

describe("the README's section on the axon command", () => {
  it.for(commandDefinitions.map((definition) => definition.name))('documents every option of axon %s', (name) => {
    const definition = commandDefinitions.find((candidate) => candidate.name === name);
    const flags = Object.values(definition?.options ?? {}).map(longFlag);
    // Whole flags only: `--data` must not pass for `--data-dir`.
    expect(flags.filter((flag) => !new RegExp(`${flag}(?![\\w-])`).test(commandSection))).toEqual([]);
  });
});
