import type { InitializerConfig } from '@axon/nn';
import type { JsonObject } from './model-json.js';

// Keras's initializers as model files name them. An initializer only matters when a
// loaded layer is initialized again, so one that axon lacks (RandomNormal, Orthogonal,
// …) falls back to Keras's default for the weight instead of refusing the file.

type VarianceScaling = Extract<
  InitializerConfig,
  { kind: 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'lecunNormal' }
>['kind'];

/** Keras's `VarianceScaling` parameters of each variance-scaling initializer axon has. */
const varianceScaling: Readonly<
  Record<VarianceScaling, { scale: number; mode: 'fan_avg' | 'fan_in'; distribution: 'uniform' | 'truncated_normal' }>
> = {
  glorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  heUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  heNormal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  lecunNormal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

/** Class names Keras and TensorFlow.js both spell the same way. */
const classNames: Readonly<Record<Exclude<InitializerConfig['kind'], 'lecunNormal'>, string>> = {
  glorotUniform: 'GlorotUniform',
  glorotNormal: 'GlorotNormal',
  heUniform: 'HeUniform',
  heNormal: 'HeNormal',
  zeros: 'Zeros',
  ones: 'Ones',
  constant: 'Constant',
};

/**
 * An initializer as Keras serializes it. LeCun normal is written as the
 * `VarianceScaling` it is, since Keras spells its class `LecunNormal` and
 * TensorFlow.js `LeCunNormal`.
 *
 * @example
 * kerasInitializer({ kind: 'glorotUniform' }); // { class_name: 'GlorotUniform', config: { seed: null } }
 */
export function kerasInitializer(initializer: InitializerConfig): JsonObject {
  switch (initializer.kind) {
    case 'zeros':
    case 'ones':
      return { class_name: classNames[initializer.kind], config: {} };
    case 'constant':
      return { class_name: 'Constant', config: { value: initializer.value } };
    case 'lecunNormal':
      return { class_name: 'VarianceScaling', config: { ...varianceScaling.lecunNormal, seed: null } };
    default:
      return { class_name: classNames[initializer.kind], config: { seed: null } };
  }
}

/** Keras's snake-case and TensorFlow.js's camel-case spellings compare equal. */
const canonical = (name: string): string => name.replace(/_/g, '').toLowerCase();

const byClassName = new Map<string, InitializerConfig>([
  ...(Object.keys(varianceScaling) as VarianceScaling[]).map((kind): [string, InitializerConfig] => [
    canonical(kind),
    { kind },
  ]),
  ['zeros', { kind: 'zeros' }],
  ['ones', { kind: 'ones' }],
]);

const isRecord = (u: unknown): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * axon's initializer for what a file names (a class with its config, or a string such
 * as `glorot_uniform`), or `fallback` when axon has no such initializer.
 *
 * @example
 * initializerOf({ class_name: 'HeNormal', config: { seed: null } }, { kind: 'glorotUniform' }); // { kind: 'heNormal' }
 * initializerOf({ class_name: 'Orthogonal', config: {} }, { kind: 'glorotUniform' });          // { kind: 'glorotUniform' }
 */
export function initializerOf(json: unknown, fallback: InitializerConfig): InitializerConfig {
  const className =
    typeof json === 'string'
      ? json
      : isRecord(json) && typeof json.class_name === 'string'
        ? json.class_name
        : undefined;
  if (className === undefined) return fallback;
  const config = isRecord(json) && isRecord(json.config) ? json.config : {};
  if (canonical(className) === 'constant')
    return typeof config.value === 'number' && Number.isFinite(config.value)
      ? { kind: 'constant', value: config.value }
      : fallback;
  if (canonical(className) === 'variancescaling') {
    const same = (kind: VarianceScaling): boolean => {
      const expected = varianceScaling[kind];
      const distribution = typeof config.distribution === 'string' ? canonical(config.distribution) : '';
      // Keras 2 and TensorFlow.js call the truncated normal `normal`.
      const normalized = distribution === 'normal' ? 'truncatednormal' : distribution;
      return (
        config.scale === expected.scale &&
        typeof config.mode === 'string' &&
        canonical(config.mode) === canonical(expected.mode) &&
        normalized === canonical(expected.distribution)
      );
    };
    const kind = (Object.keys(varianceScaling) as VarianceScaling[]).find(same);
    return kind === undefined ? fallback : { kind };
  }
  return byClassName.get(canonical(className)) ?? fallback;
}
