import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { defaultAugmentation, FillModeName } from '../training/augmentation.js';
import { tutorialSettings } from '../training/settings.js';
import { HiddenActivation, LearningRateSchedule, OptimizerName } from '../training/vocabulary.js';
import { layerSpecArbitrary } from '../../test/support/layer-spec-arbitrary.js';
import { builtInModels, layerForms, layerSpecsText } from '../model/layer-spec.js';
import { commandDefinitions } from './command.js';
import { longFlag } from './option-spec.js';
import { parseArgs } from './parse-args.js';
import { trainingSettingsOf } from './train-options.js';

const parse = (...argv: string[]) => parseArgs(argv, '1.2.3');
const message = (...argv: string[]): string => {
  const result = parse(...argv);
  if (E.isRight(result)) throw new Error(`expected ${argv.join(' ')} to be refused`);
  return result.left.message;
};
const config = (...argv: string[]) => {
  const result = parse(...argv);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

describe('parseArgs: train', () => {
  it('defaults to the tutorial program', () => {
    expect(config('train')).toEqual({
      command: 'train',
      ...tutorialSettings,
      model: null,
      augmentation: null,
      augment: false,
      augmentTranslation: null,
      augmentRotation: null,
      augmentZoom: null,
      augmentNoise: null,
      augmentFill: null,
      seed: null,
      dataDir: null,
      backend: 'auto',
      gpuMode: 'auto',
      threads: null,
      maxMemory: null,
      out: './model',
      checkpointEvery: null,
      resume: null,
      json: false,
      quiet: false,
      verbose: false,
      given: new Set(),
    });
  });

  it("takes --model cnn for Keras's mnist_convnet, and any stack --layers describes, such as one with batch normalization", () => {
    const cnn = config('train', '--model', 'cnn');
    expect(cnn.command === 'train' && cnn.layers).toEqual(builtInModels.cnn);
    const stack = config(
      'train',
      '--layers',
      'conv:16:3x5:same:stride=2:tanh, batchnorm:momentum=0.9 ,avgpool:2:same,globalavgpool,dense:32:gelu,64',
    );
    expect(stack.command === 'train' && stack.layers).toEqual([
      {
        kind: 'conv',
        filters: 16,
        size: [3, 5],
        strides: [2, 2],
        padding: 'same',
        dilation: [1, 1],
        activation: 'tanh',
      },
      { kind: 'batchnorm', momentum: 0.9, epsilon: 1e-3 },
      { kind: 'avgpool', size: [2, 2], strides: [2, 2], padding: 'same' },
      { kind: 'globalavgpool' },
      { kind: 'dense', units: 32, activation: 'gelu' },
      { kind: 'dense', units: 64, activation: null },
    ]);
    // A pooling stride other than its size.
    const pooled = config('train', '--layers', 'conv:8:3,maxpool:3:stride=2');
    expect(pooled.command === 'train' && pooled.layers[1]).toEqual({
      kind: 'maxpool',
      size: [3, 3],
      strides: [2, 2],
      padding: 'valid',
    });
  });

  it('records which options were given, for a resume to check against its checkpoint', () => {
    const parsed = config('train', '--epochs', '4', '--resume', 'model', '--seed', '1');
    expect(parsed.command === 'train' && [...parsed.given].sort()).toEqual(['epochs', 'resume', 'seed']);
  });

  it('reads back any valid setting it is given', () => {
    const settings = fc
      .record({
        dataset: fc.constantFrom('mnist' as const, 'fashion-mnist' as const),
        layers: fc.array(layerSpecArbitrary, { maxLength: 4 }),
        activation: fc.constantFrom(...HiddenActivation.values),
        dropout: fc.double({ min: 0, max: 0.99, noNaN: true }),
        optimizer: fc.constantFrom(...OptimizerName.values),
        learningRate: fc.double({ min: 1e-8, max: 10, noNaN: true }),
        epochs: fc.integer({ min: 1, max: 1000 }),
        batchSize: fc.integer({ min: 1, max: 100_000 }),
        validationSplit: fc.double({ min: 0, max: 0.99, noNaN: true }),
        limit: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: null }),
        seed: fc.nat(),
        lrSchedule: fc.constantFrom(...LearningRateSchedule.values),
        lrDecay: fc.double({ min: 1e-6, max: 1, noNaN: true }),
        warmupSteps: fc.nat(10_000),
        weightDecay: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
        clipNorm: fc.option(fc.double({ min: 1e-6, max: 100, noNaN: true }), { nil: null }),
        earlyStopping: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
        augmentation: fc.option(
          fc.record({
            translation: fc.double({ min: 0, max: 1, noNaN: true }),
            rotation: fc.double({ min: 0, max: 0.5, noNaN: true }),
            zoom: fc.double({ min: 0, max: 0.99, noNaN: true }),
            noise: fc.double({ min: 0, max: 1, noNaN: true }),
            fill: fc.constantFrom(...FillModeName.values),
          }),
          { nil: null },
        ),
      })
      .map((s) => ({
        ...s,
        // --lr-decay goes only with the exponential schedule, early stopping only with a validation split.
        lrDecay: s.lrSchedule === 'exponential' ? s.lrDecay : null,
        earlyStopping: s.validationSplit > 0 ? s.earlyStopping : null,
        // --dropout follows hidden dense layers: a stack of other layers places its own.
        dropout: s.layers.length > 0 && !s.layers.some((layer) => layer.kind === 'dense') ? 0 : s.dropout,
      }));
    const optional = (flag: string, value: number | null): string[] => (value === null ? [] : [flag, String(value)]);
    fc.assert(
      fc.property(settings, (s) => {
        const argv = [
          'train',
          '--dataset',
          s.dataset,
          '--layers',
          layerSpecsText(s.layers),
          '--activation',
          s.activation,
          '--dropout',
          String(s.dropout),
          '--optimizer',
          s.optimizer,
          `--learning-rate=${s.learningRate}`,
          '--epochs',
          String(s.epochs),
          '--batch-size',
          String(s.batchSize),
          '--validation-split',
          String(s.validationSplit),
          '--seed',
          String(s.seed),
          ...optional('--limit', s.limit),
          '--lr-schedule',
          s.lrSchedule,
          ...optional('--lr-decay', s.lrDecay),
          '--warmup-steps',
          String(s.warmupSteps),
          ...optional('--weight-decay', s.weightDecay),
          ...optional('--clip-norm', s.clipNorm),
          ...optional('--early-stopping', s.earlyStopping),
          ...(s.augmentation === null
            ? []
            : [
                '--augment',
                ...Object.entries(s.augmentation).flatMap(([setting, value]) => [
                  `--augment-${setting}`,
                  String(value),
                ]),
              ]),
        ];
        const parsed = config(...argv);
        expect(parsed.command === 'train' && trainingSettingsOf(parsed, s.seed)).toEqual(s);
      }),
    );
  });

  it.each([
    [['--epochs', '0'], 'axon train: --epochs: expected a positive integer, got 0'],
    [['--batch-size', '-3'], 'axon train: --batch-size: expected a positive integer, got -3'],
    [['--batch-size', '12.5'], 'axon train: --batch-size: expected a positive integer, got "12.5"'],
    [['--learning-rate', 'abc'], 'axon train: --learning-rate: expected a positive number, got "abc"'],
    [
      ['--validation-split', '1.5'],
      'axon train: --validation-split: expected a number from 0 up to (not including) 1, got 1.5',
    ],
    [['--dropout', '1'], 'axon train: --dropout: expected a number from 0 up to (not including) 1, got 1'],
    [
      ['--optimizer', 'nadam'],
      'axon train: --optimizer: expected one of sgd, momentum, adam, adamw, rmsprop, adagrad, got "nadam"',
    ],
    [['--max-memory', '8 gallons'], 'axon train: --max-memory: expected a size such as 512M or 8G, got "8 gallons"'],
    [['--max-memory', '0'], 'axon train: --max-memory: expected a size such as 512M or 8G, got "0"'],
    [
      ['--out', 'mod\uFFFDel'],
      'axon train: --out: expected a path in UTF-8 (Node reads other bytes as U+FFFD, so the path would name another file), got "mod\uFFFDel"',
    ],
    [['--dataset', 'cifar'], 'axon train: --dataset: expected one of mnist, fashion-mnist, idx, got "cifar"'],
    [
      ['--layers', '128,,64'],
      `axon train: --layers: expected a layer (${layerForms}) as layer 2, between the commas, got "128,,64"`,
    ],
    [
      ['--layers', '128,0'],
      'axon train: --layers: expected the units of a dense layer (a positive integer) in layer 2 "0", got "0"',
    ],
    [
      ['--layers', 'conv:32:x'],
      'axon train: --layers: expected the kernel size (a positive integer, or HxW such as 3x5) in layer 1 "conv:32:x", got "x"',
    ],
    [
      ['--layers', 'conv:32'],
      'axon train: --layers: expected the kernel size (a positive integer, or HxW such as 3x5) in layer 1 "conv:32", got ""',
    ],
    [
      ['--layers', 'conv:32:3:swish'],
      'axon train: --layers: expected a convolution option (same, valid, stride=S, dilation=D, or an activation: relu, tanh, sigmoid, elu, gelu, softplus, linear, softmax) in layer 1 "conv:32:3:swish", got "swish"',
    ],
    [
      ['--layers', 'conv:8:3:stride=2:dilation=2'],
      'axon train: --layers: expected a stride or a dilation above 1, not both (TensorFlow cannot run both) in layer 1 "conv:8:3:stride=2:dilation=2", got "stride=2:dilation=2"',
    ],
    [
      ['--layers', 'conv:8:3,maxpool:2:stride=0'],
      'axon train: --layers: expected a stride (a positive integer, or HxW such as 3x5) in layer 2 "maxpool:2:stride=0", got "0"',
    ],
    [
      ['--layers', 'conv:8:3,convolution:8:3'],
      `axon train: --layers: expected a layer (${layerForms}) in layer 2 "convolution:8:3", got "convolution"`,
    ],
    [
      ['--layers', 'dropout:1'],
      'axon train: --layers: expected a dropout rate from 0 up to (not including) 1 in layer 1 "dropout:1", got "1"',
    ],
    [
      ['--layers', 'batchnorm:momentum=2'],
      'axon train: --layers: expected a momentum from 0 up to (not including) 1 in layer 1 "batchnorm:momentum=2", got "2"',
    ],
    [['--layers', 'flatten:2'], 'axon train: --layers: expected nothing after flatten in layer 1 "flatten:2", got "2"'],
    [['--model', 'resnet'], 'axon train: --model: expected one of mlp, cnn, got "resnet"'],
    [
      ['--model', 'cnn', '--layers', '64'],
      'axon train: --model and --layers both describe the network: give one (--model cnn is --layers conv:32:3,maxpool:2,conv:64:3,maxpool:2,flatten,dropout:0.5)',
    ],
    [
      ['--model', 'cnn', '--dropout', '0.2'],
      'axon train: --dropout adds dropout after each hidden dense layer, and --layers conv:32:3,maxpool:2,conv:64:3,maxpool:2,flatten,dropout:0.5 has none: write dropout:0.2 into --layers where it belongs',
    ],
    [['--backend', 'cuda'], 'axon train: --backend: expected one of auto, js, wasm, gpu, got "cuda"'],
    [['--threads', '0'], 'axon train: --threads: expected a positive integer, got 0'],
    [['--dataset', 'idx'], 'axon train: --dataset idx needs --data-dir DIR (the directory holding the IDX files)'],
    [
      ['--early-stopping', '3'],
      'axon train: --early-stopping needs --validation-split F: it stops on the loss of the held-out samples',
    ],
    [
      ['--early-stopping', '0', '--validation-split', '0.1'],
      'axon train: --early-stopping: expected a positive integer, got 0',
    ],
    [
      ['--lr-schedule', 'linear'],
      'axon train: --lr-schedule: expected one of constant, exponential, cosine, got "linear"',
    ],
    [['--lr-decay', '0.5'], 'axon train: --lr-decay applies only with --lr-schedule exponential'],
    [
      ['--lr-decay', '1.5', '--lr-schedule', 'exponential'],
      'axon train: --lr-decay: expected a number above 0, at most 1, got 1.5',
    ],
    [
      ['--lr-decay', '0', '--lr-schedule', 'exponential'],
      'axon train: --lr-decay: expected a number above 0, at most 1, got 0',
    ],
    [['--warmup-steps', '-5'], 'axon train: --warmup-steps: expected a non-negative integer, got -5'],
    [['--weight-decay', '-0.1'], 'axon train: --weight-decay: expected a non-negative number, got -0.1'],
    [['--clip-norm', '0'], 'axon train: --clip-norm: expected a positive number, got 0'],
    [
      ['--activation', 'swish'],
      'axon train: --activation: expected one of relu, tanh, sigmoid, elu, gelu, softplus, linear, softmax, got "swish"',
    ],
    [['--epochs'], "axon train: option '--epochs <n>' argument missing"],
    [['extra'], "axon train: too many arguments for 'train'. Expected 0 arguments but got 1."],
  ])('refuses %j', (args, expected) => {
    expect(message('train', ...args)).toBe(expected);
  });

  it('gathers --augment and its tuning options into the augmentation settings, with documented defaults', () => {
    const parsed = (...args: string[]) => {
      const c = config('train', ...args);
      return c.command === 'train' ? c.augmentation : undefined;
    };
    expect(parsed('--augment')).toEqual(defaultAugmentation);
    expect(defaultAugmentation).toEqual({ translation: 0.1, rotation: 0.03, zoom: 0.1, noise: 0, fill: 'reflect' });
    expect(
      parsed(
        '--augment',
        '--augment-rotation',
        '0.05',
        '--augment-noise',
        '0.1',
        '--augment-fill',
        'constant',
        '--augment-translation',
        '0',
      ),
    ).toEqual({
      translation: 0,
      rotation: 0.05,
      zoom: 0.1,
      noise: 0.1,
      fill: 'constant',
    });
    expect(parsed()).toBeNull();
    const withSeed = config('train', '--augment', '--augment-zoom', '0.2', '--seed', '3');
    expect(withSeed.command === 'train' && trainingSettingsOf(withSeed, 3).augmentation).toEqual({
      ...defaultAugmentation,
      zoom: 0.2,
    });
    const plain = config('train', '--seed', '3');
    expect(plain.command === 'train' && trainingSettingsOf(plain, 3).augmentation).toBeNull();
  });

  it.each([
    [['--augment-zoom', '0.2'], 'axon train: --augment-zoom applies only with --augment'],
    [['--augment-fill', 'wrap', '--epochs', '2'], 'axon train: --augment-fill applies only with --augment'],
    [
      ['--augment', '--augment-translation', '1.5'],
      'axon train: --augment-translation: expected a number from 0 to 1, got 1.5',
    ],
    [
      ['--augment', '--augment-rotation', '0.6'],
      'axon train: --augment-rotation: expected a number from 0 to 0.5, got 0.6',
    ],
    [
      ['--augment', '--augment-zoom', '1'],
      'axon train: --augment-zoom: expected a number from 0 up to (not including) 1, got 1',
    ],
    [['--augment', '--augment-noise', '-0.1'], 'axon train: --augment-noise: expected a non-negative number, got -0.1'],
    [
      ['--augment', '--augment-fill', 'mirror'],
      'axon train: --augment-fill: expected one of reflect, wrap, nearest, constant, got "mirror"',
    ],
  ])('refuses augmentation options %j', (args, expected) => {
    expect(message('train', ...args)).toBe(expected);
  });

  it('decays by 0.9 per epoch with --lr-schedule exponential unless --lr-decay says otherwise', () => {
    expect(config('train', '--lr-schedule', 'exponential')).toMatchObject({ lrSchedule: 'exponential', lrDecay: 0.9 });
    expect(config('train', '--lr-schedule', 'exponential', '--lr-decay', '1')).toMatchObject({ lrDecay: 1 });
    expect(config('train', '--lr-schedule', 'cosine')).toMatchObject({ lrSchedule: 'cosine', lrDecay: null });
  });

  it('refuses an unknown option, suggesting the near one and listing the accepted ones', () => {
    const line = message('train', '--epoch', '3');
    expect(line).toMatch(
      /^axon train: unknown option '--epoch' \(Did you mean --epochs\?\); accepted options: --dataset, --data-dir, --epochs, /,
    );
    expect(line).toContain('--quiet, --verbose, --help');
  });

  it('refuses any integer option given something other than a whole number in range', () => {
    const integerOptions = [
      ['--epochs', 1],
      ['--batch-size', 1],
      ['--limit', 1],
      ['--threads', 1],
      ['--seed', 0],
      ['--warmup-steps', 0],
      ['--early-stopping', 1],
    ] as const;
    const notInteger = fc.oneof(
      fc.string().filter((s) => !/^\s*[+-]?\d+\s*$/.test(s) && !s.startsWith('-')),
      fc.integer({ min: -1000, max: 0 }).map(String),
      fc
        .double({ noNaN: true })
        .filter((x) => !Number.isInteger(x))
        .map(String),
    );
    fc.assert(
      fc.property(fc.constantFrom(...integerOptions), notInteger, ([flag, min], value) => {
        fc.pre(!(min === 0 && value === '0'));
        expect(message('train', flag, value)).toMatch(
          new RegExp(`^axon train: ${flag}: expected a (positive|non-negative) integer, got `),
        );
      }),
    );
  });
});

describe('parseArgs: sizes', () => {
  it('reads --max-memory in bytes, decimal units (k, M, G, T) and binary ones (Ki, Mi, Gi, Ti), with or without B, in any case', () => {
    const units = [
      ['', 1],
      ['k', 1e3],
      ['M', 1e6],
      ['G', 1e9],
      ['T', 1e12],
      ['Ki', 2 ** 10],
      ['Mi', 2 ** 20],
      ['Gi', 2 ** 30],
      ['Ti', 2 ** 40],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4096 }),
        fc.constantFrom(...units),
        fc.boolean(),
        fc.boolean(),
        (amount, [unit, scale], withB, upper) => {
          const text = `${amount}${unit}${withB ? 'B' : ''}`;
          const parsed = config('train', '--max-memory', upper ? text.toUpperCase() : text.toLowerCase());
          expect(parsed.command === 'train' && parsed.maxMemory).toBe(amount * scale);
        },
      ),
    );
    expect(config('train', '--max-memory', '1.5G')).toMatchObject({ maxMemory: 1.5e9 });
  });
});

describe('parseArgs: evaluate, predict, info', () => {
  it('reads evaluate options, leaving the data set to the model by default', () => {
    expect(config('evaluate', '--model', 'out/m', '--confusion-svg', 'c.svg', '--json')).toEqual({
      command: 'evaluate',
      model: 'out/m',
      dataset: null,
      dataDir: null,
      confusionSvg: 'c.svg',
      errors: null,
      batchSize: 1000,
      backend: 'auto',
      gpuMode: 'auto',
      threads: null,
      json: true,
      verbose: false,
    });
    expect(config('evaluate', '--model', 'm', '--batch-size', '64')).toMatchObject({ batchSize: 64 });
    expect(message('evaluate', '--model', 'm', '--batch-size', '0')).toBe(
      'axon evaluate: --batch-size: expected a positive integer, got 0',
    );
  });

  it('reads --errors and --count, 25 mistakes unless told, and refuses --count alone', () => {
    expect(config('evaluate', '--model', 'm', '--errors', 'e.png')).toMatchObject({
      errors: { file: 'e.png', count: 25 },
    });
    expect(config('evaluate', '--model', 'm', '--errors', 'e.png', '--count', '9')).toMatchObject({
      errors: { file: 'e.png', count: 9 },
    });
    expect(message('evaluate', '--model', 'm', '--count', '9')).toBe(
      'axon evaluate: --count applies only with --errors FILE',
    );
    expect(message('evaluate', '--model', 'm', '--errors', 'e.png', '--count', '0')).toBe(
      'axon evaluate: --count: expected a positive integer, got 0',
    );
  });

  it('reads explain options: Integrated Gradients with 50 steps and the predicted class unless told', () => {
    expect(config('explain', '--model', 'm', '--index', '3')).toEqual({
      command: 'explain',
      model: 'm',
      input: { kind: 'index', index: 3 },
      method: { name: 'ig', steps: 50 },
      className: null,
      out: null,
      dataset: null,
      dataDir: null,
      backend: 'auto',
      gpuMode: 'auto',
      threads: null,
      json: false,
      verbose: false,
    });
    expect(
      config(
        'explain',
        '--model',
        'm',
        '--image',
        'a.png',
        '--method',
        'smoothgrad',
        '--samples',
        '8',
        '--class',
        'Sneaker',
        '--out',
        'x.png',
      ),
    ).toMatchObject({
      input: { kind: 'image', path: 'a.png' },
      method: { name: 'smoothgrad', samples: 8 },
      className: 'Sneaker',
      out: 'x.png',
    });
    expect(config('explain', '--model', 'm', '--index', '0', '--method', 'saliency')).toMatchObject({
      method: { name: 'saliency' },
    });
    expect(config('explain', '--model', 'm', '--index', '0', '--steps', '128')).toMatchObject({
      method: { name: 'ig', steps: 128 },
    });
  });

  it.each([
    [['--index', '0', '--method', 'saliency', '--steps', '10'], 'axon explain: --steps applies only with --method ig'],
    [['--index', '0', '--samples', '10'], 'axon explain: --samples applies only with --method smoothgrad'],
    [['--index', '0', '--image', 'a.png'], 'axon explain: give exactly one of --image FILE and --index N'],
    [[], 'axon explain: give exactly one of --image FILE and --index N'],
    [['--image', 'a.png', '--data-dir', 'd'], 'axon explain: --dataset and --data-dir apply only with --index'],
    [
      ['--index', '0', '--method', 'lime'],
      'axon explain: --method: expected one of ig, saliency, smoothgrad, got "lime"',
    ],
    [['--index', '0', '--steps', '0'], 'axon explain: --steps: expected a positive integer, got 0'],
    [['--index', '-1'], 'axon explain: --index: expected a non-negative integer, got -1'],
  ])('refuses explain %j', (args, expected) => {
    expect(message('explain', '--model', 'm', ...args)).toBe(expected);
  });

  it('requires --model', () => {
    expect(message('evaluate')).toBe('axon evaluate: --model: missing (expected a path)');
    expect(message('predict', '--image', 'a.png')).toBe('axon predict: --model: missing (expected a path)');
  });

  it('takes exactly one of --image and --index', () => {
    expect(config('predict', '--model', 'm', '--image', 'seven.png')).toMatchObject({
      input: { kind: 'image', path: 'seven.png' },
    });
    expect(config('predict', '--model', 'm', '--index', '7', '--dataset', 'fashion-mnist')).toMatchObject({
      input: { kind: 'index', index: 7 },
      dataset: 'fashion-mnist',
    });
    expect(message('predict', '--model', 'm')).toBe('axon predict: give exactly one of --image FILE and --index N');
    expect(message('predict', '--model', 'm', '--image', 'a.png', '--index', '1')).toBe(
      'axon predict: give exactly one of --image FILE and --index N',
    );
    expect(message('predict', '--model', 'm', '--image', 'a.png', '--dataset', 'mnist')).toBe(
      'axon predict: --dataset and --data-dir apply only with --index',
    );
    expect(message('predict', '--model', 'm', '--index', '-1')).toBe(
      'axon predict: --index: expected a non-negative integer, got -1',
    );
  });

  it('reads info', () => {
    expect(config('info', '--json')).toEqual({ command: 'info', json: true, verbose: false });
  });

  it("reads serve: 127.0.0.1:8080 and the playground's own model unless told otherwise", () => {
    expect(config('serve')).toEqual({ command: 'serve', model: null, port: 8080, host: '127.0.0.1', verbose: false });
    expect(config('serve', '--model', 'm', '--port', '0', '--host', '0.0.0.0')).toEqual({
      command: 'serve',
      model: 'm',
      port: 0,
      host: '0.0.0.0',
      verbose: false,
    });
    expect(message('serve', '--port', '65536')).toBe('axon serve: --port must be at most 65535, got 65536');
    expect(message('serve', '--port', '-1')).toMatch(/^axon serve: --port: expected a non-negative integer/);
  });
});

describe('parseArgs: the command line as a whole', () => {
  it('refuses a missing or unknown command', () => {
    expect(message()).toBe(
      'axon: missing command; expected one of train, evaluate, predict, explain, export, info, serve (see axon --help)',
    );
    expect(message('trian')).toBe("axon: unknown command 'trian' (Did you mean train?)");
  });

  it('gives help and version text to print', () => {
    expect(config('--version')).toEqual({ command: 'help', text: '1.2.3\n' });
    const help = config('--help');
    expect(help.command === 'help' && help.text).toMatch(/Usage: axon \[options\] \[command\]/);
    for (const definition of commandDefinitions) {
      const text = config(definition.name, '--help');
      expect(text.command).toBe('help');
      for (const spec of Object.values(definition.options))
        expect(text.command === 'help' && text.text).toContain(longFlag(spec));
    }
    const train = config('help', 'train');
    expect(train.command === 'help' && train.text).toContain('--epochs <n>');
    expect(train.command === 'help' && train.text.replace(/\s+/g, ' ')).toContain('(a positive integer; default: 10)');
  });

  it('answers every command line with a command or a single-line message', () => {
    const word = fc.oneof(
      fc.constantFrom(
        'train',
        'evaluate',
        'predict',
        'explain',
        'info',
        '--epochs',
        '--model',
        '--image',
        '--index',
        '--json',
        '--help',
        '-h',
        '--layers',
        '--seed',
        '--method',
        '--class',
        '--errors',
        '--augment',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (argv) => {
        const result = parseArgs(argv, '1.2.3');
        if (E.isLeft(result)) {
          expect(result.left.message).toMatch(/^axon( \w+)?: /);
          expect(result.left.message).not.toMatch(/[\n\r]/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
