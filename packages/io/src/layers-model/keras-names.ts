/**
 * A Keras class name in snake case, as Keras names layers after their class
 * (`to_snake_case`, which TensorFlow.js's `toSnakeCase` copies regex for regex):
 * `Dense` → `dense`, `LeakyReLU` → `leaky_re_lu`, `Conv2D` → `conv2d`,
 * `MaxPooling2D` → `max_pooling2d`.
 *
 * @example
 * snakeCase('LeakyReLU'); // 'leaky_re_lu'
 * snakeCase('Conv2D');    // 'conv2d'
 */
export const snakeCase = (className: string): string =>
  className
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();

/**
 * Names layers the way Keras does: the snake-case class name, then `_1`, `_2`, … for
 * later layers of the same class (`dense`, `dense_1`, `dropout`, `dense_2`).
 *
 * @example
 * kerasLayerNames(['Dense', 'Dropout', 'Dense']); // ['dense', 'dropout', 'dense_1']
 */
export function kerasLayerNames(classNames: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return classNames.map((className) => {
    const base = snakeCase(className);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count}`;
  });
}
