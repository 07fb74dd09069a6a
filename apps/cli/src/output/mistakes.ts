/** A test sample the model got wrong, and how sure it was of its wrong answer. */
export interface MistakeRecord {
  /** The sample's index in the test set. */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** The probability of the predicted class. */
  readonly confidence: number;
}

/**
 * The `count` samples the model gets most confidently wrong: those whose top class is
 * not their label, by the probability of that class, highest first (ties by index).
 *
 * @example
 * mostConfidentMistakes(Float32Array.of(0.9, 0.1, 0.3, 0.7), Int32Array.of(1, 1), 2, 5);
 * // [{ index: 0, label: 1, predicted: 0, confidence: 0.9 }]
 */
export function mostConfidentMistakes(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  classCount: number,
  count: number,
): MistakeRecord[] {
  const mistakes: MistakeRecord[] = [];
  for (let i = 0; i < labels.length; i++) {
    let predicted = 0;
    for (let c = 1; c < classCount; c++)
      if (probabilities[i * classCount + c] > probabilities[i * classCount + predicted]) predicted = c;
    if (predicted !== labels[i])
      mistakes.push({ index: i, label: labels[i], predicted, confidence: probabilities[i * classCount + predicted] });
  }
  return mistakes.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, count);
}
