import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  decodeFirstProblem,
  describeProblem,
  Metric,
  NonNegativeInteger,
  NonNegativeNumber,
  PositiveInteger,
  Text,
  taggedUnion,
} from '@axon/io/codec';
import { TrainingSettings } from '../../src/training/settings.js';

// The documented shapes of what `axon … --json` prints, as codecs that refuse any
// field the documentation does not name, so a renamed or stray field fails a test.

/**
 * An object with exactly the `required` fields and, optionally, the `optional` ones:
 * decoding fails on a missing, mistyped or unknown field.
 *
 * @example
 * closedRecord('a point', { x: t.number }).decode({ x: 1, y: 2 }); // left: y is not a field of a point
 */
export function closedRecord<R extends t.Props, O extends t.Props = Record<never, never>>(
  name: string,
  required: R,
  optional: O = {} as O,
): t.Type<t.TypeOfProps<R> & t.TypeOfPartialProps<O>, unknown, unknown> {
  const open = t.intersection([t.type(required), t.partial(optional)], name);
  const known = new Set([...Object.keys(required), ...Object.keys(optional)]);
  // Called only on values `open` accepted, which are objects.
  const strayKey = (u: unknown): string | undefined => Object.keys(u as object).find((key) => !known.has(key));
  return new t.Type(
    name,
    (u): u is t.TypeOfProps<R> & t.TypeOfPartialProps<O> => open.is(u) && strayKey(u) === undefined,
    (u, c) => {
      const decoded = open.validate(u, c);
      const stray = E.isLeft(decoded) ? undefined : strayKey(u);
      if (stray === undefined) return decoded;
      const value: unknown = (u as Record<string, unknown>)[stray];
      return t.failure(
        value,
        [...c, { key: stray, type: t.never, actual: value }],
        `nothing (${stray} is not a field of ${name})`,
      );
    },
    (a) => a,
  );
}

/** `{"event":"start", …settings, backend, trainSamples, validationSamples, testSamples}` */
export const StartEvent = closedRecord('a start event', {
  event: t.literal('start'),
  ...TrainingSettings.props,
  backend: Text,
  trainSamples: PositiveInteger,
  validationSamples: NonNegativeInteger,
  testSamples: PositiveInteger,
});

/** One per epoch; the validation fields only with `--validation-split`. */
export const EpochEvent = closedRecord(
  'an epoch event',
  {
    event: t.literal('epoch'),
    epoch: PositiveInteger,
    epochs: PositiveInteger,
    loss: Metric,
    accuracy: Metric,
    seconds: NonNegativeNumber,
    samplesPerSecond: NonNegativeNumber,
  },
  { valLoss: Metric, valAccuracy: Metric },
);

/** The last line of a run that wrote its model. */
export const DoneEvent = closedRecord(
  'a done event',
  {
    event: t.literal('done'),
    testLoss: Metric,
    testAccuracy: Metric,
    trainSeconds: NonNegativeNumber,
    modelDir: Text,
  },
  { stoppedEarly: t.type({ epoch: PositiveInteger, bestEpoch: PositiveInteger }) },
);

/** The last line of a run that failed after it started; the message is also on stderr. */
export const ErrorEvent = closedRecord('an error event', { event: t.literal('error'), message: Text });

/** Any line `axon train --json` prints. */
export const TrainingEvent = taggedUnion(
  'event',
  { start: StartEvent, epoch: EpochEvent, done: DoneEvent, error: ErrorEvent },
  'a training event ({ event, … })',
);
export type TrainingEvent = t.TypeOf<typeof TrainingEvent>;
export type StartEvent = t.TypeOf<typeof StartEvent>;
export type EpochEvent = t.TypeOf<typeof EpochEvent>;
export type DoneEvent = t.TypeOf<typeof DoneEvent>;

/** One of the mistakes `axon evaluate --errors` lists. */
const MistakeJson = closedRecord('a mistake', {
  index: NonNegativeInteger,
  label: NonNegativeInteger,
  predicted: NonNegativeInteger,
  confidence: NonNegativeNumber,
});

/** What `axon evaluate --json` prints. Rows of the confusion matrix are true classes; `mistakes` only with `--errors`. */
export const EvaluationJson = closedRecord(
  'an evaluation',
  {
    dataset: Text,
    samples: PositiveInteger,
    loss: Metric,
    accuracy: Metric,
    classNames: t.array(Text),
    precision: t.array(Metric),
    recall: t.array(Metric),
    confusionMatrix: t.array(t.array(NonNegativeInteger)),
  },
  { mistakes: t.array(MistakeJson) },
);
export type EvaluationJson = t.TypeOf<typeof EvaluationJson>;

const ClassProbability = closedRecord('a class probability', { name: Text, probability: NonNegativeNumber });
const ClassRef = closedRecord('a class', { index: NonNegativeInteger, name: Text });

/** What `axon predict --json` prints; `label` only for a test image chosen with `--index`. */
export const PredictionJson = closedRecord(
  'a prediction',
  {
    predicted: closedRecord('the predicted class', {
      index: NonNegativeInteger,
      name: Text,
      probability: NonNegativeNumber,
    }),
    probabilities: t.array(ClassProbability),
  },
  { label: ClassRef },
);
export type PredictionJson = t.TypeOf<typeof PredictionJson>;

/** What `axon explain --json` prints; `label` only with `--index`, `completeness` only for Integrated Gradients. */
export const ExplanationJson = closedRecord(
  'an explanation',
  {
    predicted: closedRecord('the predicted class', {
      index: NonNegativeInteger,
      name: Text,
      probability: NonNegativeNumber,
    }),
    probabilities: t.array(ClassProbability),
    explained: ClassRef,
    method: t.union([
      closedRecord('Integrated Gradients', { name: t.literal('ig'), steps: PositiveInteger }),
      closedRecord('saliency', { name: t.literal('saliency') }),
      closedRecord('SmoothGrad', { name: t.literal('smoothgrad'), samples: PositiveInteger }),
    ]),
    attributions: t.array(t.array(t.number)),
  },
  {
    label: ClassRef,
    completeness: closedRecord('completeness', { attributionSum: t.number, scoreChange: t.number, error: t.number }),
  },
);
export type ExplanationJson = t.TypeOf<typeof ExplanationJson>;

/**
 * Decodes one line of output with `codec`, throwing a one-line reason (the field,
 * what was expected, what was there) when it is not JSON or not of that shape.
 *
 * @example
 * const report = decodeLine(EvaluationJson, stdout.trim());
 */
export function decodeLine<A>(codec: t.Decoder<unknown, A>, line: string): A {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`not a JSON line: ${line}`);
  }
  const decoded = decodeFirstProblem(codec, json);
  if (E.isLeft(decoded)) throw new Error(`${describeProblem(decoded.left)} in ${line}`);
  return decoded.right;
}

/**
 * Every line of `stdout` decoded as a training event; throws at the first line that is
 * not one.
 *
 * @example
 * const [start, ...rest] = trainingEvents(result.stdout);
 */
export function trainingEvents(stdout: string): TrainingEvent[] {
  return stdout
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => decodeLine(TrainingEvent, line));
}
