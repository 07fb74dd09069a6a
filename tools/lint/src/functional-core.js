// @ts-check
/**
 * The functional-core rule of DEVELOPERS.md as ESLint settings: package source is pure, and
 * the file system, network, processes, environment, console, clocks and OS randomness are
 * reached only from apps, tools, tests and `edge/` folders. Each restriction's message says
 * why and where the code belongs instead.
 *
 * Built from ESLint's own `no-restricted-*` rules rather than a plugin of our own: they are
 * enough to name every effect, and their messages point at the fix.
 */

const why = 'package source is the functional core: move effects to an edge/ folder, or take them as a parameter';

/** Node.js modules whose use is an effect: files, network, processes, environment, clocks. */
export const effectModules = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'dns/promises',
  'tls',
  'child_process',
  'cluster',
  'worker_threads',
  'process',
  'os',
  'readline',
  'readline/promises',
  'perf_hooks',
  'timers',
  'timers/promises',
  'inspector',
  'repl',
  'tty',
  'v8',
  'module',
];

/** Libraries that exist to reach files, the network or the environment. */
const effectLibraries = [
  'fs-extra',
  'graceful-fs',
  'node-fetch',
  'cross-fetch',
  'undici',
  'axios',
  'got',
  'ws',
  'execa',
  'dotenv',
];

/** Global names that are effects in themselves (console, environment, network, timers, workers, page state). */
export const effectGlobals = [
  'process',
  'console',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'performance',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'requestAnimationFrame',
  'Worker',
  'SharedWorker',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'document',
  'window',
  'require',
  '__dirname',
  '__filename',
  'Deno',
  'Bun',
];

/** @param {readonly string[]} names a regular expression's alternatives, `/` and `$` escaped */
const alternation = (names) => names.map((name) => name.replace(/[/$]/g, '\\$&')).join('|');
const globalObject = '^(globalThis|global|self|window)$';

/** The restrictions, as flat-config rules for the files of the functional core. */
export const functionalCoreRules = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        ...effectModules
          .flatMap((name) => [name, `node:${name}`])
          .map((name) => ({
            name,
            message: `'${name}' is an effect (files, network, processes, environment or clocks); ${why}.`,
          })),
        ...effectLibraries.map((name) => ({
          name,
          message: `'${name}' is an effect (files, network or environment); ${why}.`,
        })),
        ...['crypto', 'node:crypto'].map((name) => ({
          name,
          importNames: [
            'randomBytes',
            'randomFill',
            'randomFillSync',
            'randomInt',
            'randomUUID',
            'getRandomValues',
            'webcrypto',
          ],
          message: `OS randomness makes results irreproducible; ${why} (the core's randomness comes from PRNG keys).`,
        })),
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...effectGlobals.map((name) => ({
      name,
      message: `'${name}' is an effect (console, environment, network, timers or page state); ${why}.`,
    })),
  ],
  'no-restricted-properties': [
    'error',
    {
      object: 'Math',
      property: 'random',
      message: `Math.random is OS randomness and breaks reproducibility; ${why} (use a PRNG key from @axon/tensor).`,
    },
    { object: 'Date', property: 'now', message: `Date.now reads the clock; ${why}.` },
    {
      object: 'crypto',
      property: 'getRandomValues',
      message: `crypto.getRandomValues is OS randomness; ${why} (use a PRNG key from @axon/tensor).`,
    },
    { object: 'crypto', property: 'randomUUID', message: `crypto.randomUUID is OS randomness; ${why}.` },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: `new Date() reads the clock; ${why}.`,
    },
    { selector: "CallExpression[callee.name='Date']", message: `Date() reads the clock; ${why}.` },
    {
      // `globalThis.fetch`, `(globalThis as Env).process` (cast once or twice): the same effects through the global object.
      selector: `MemberExpression:matches([object.name=/${globalObject}/], [object.expression.name=/${globalObject}/], [object.expression.expression.name=/${globalObject}/])[property.name=/^(${alternation(effectGlobals)})$/]`,
      message: `This reaches an effect (console, environment, network, timers or page state) through the global object; ${why}.`,
    },
    {
      selector: "MemberExpression[object.property.name='crypto'][property.name=/^(getRandomValues|randomUUID)$/]",
      message: `This is OS randomness and breaks reproducibility; ${why} (use a PRNG key from @axon/tensor).`,
    },
    {
      selector:
        "MemberExpression[property.name='env']:matches([object.type='MetaProperty'], [object.type='TSAsExpression']:has(MetaProperty))",
      message: `import.meta.env reads the environment; ${why}.`,
    },
    {
      selector: `ImportExpression[source.value=/^(node:)?(${alternation([...effectModules, ...effectLibraries])})$/]`,
      message: `This module is an effect (files, network, processes or environment); ${why}.`,
    },
  ],
};

/** Where the core is: the source of every package (`testing/` entries included: they are published). */
export const functionalCoreFiles = ['packages/*/src/**/*.{ts,tsx,js,mjs}'];

/** Where effects may live: edge folders, and tests (which are edges of their own). */
export const functionalCoreExemptions = ['packages/*/src/**/edge/**', 'packages/*/src/**/*.test.ts'];
