/**
 * Statements declaring `total` as the float32 sum of `term(p)` for `p` in `[0, count)`.
 *
 * The sum is compensated (Kahan): the rounding error of each addition is carried into
 * the next, so the result is within a couple of float32 roundings of the exact sum
 * whatever `count` is, close to the reference backend's double-precision sums. Shader
 * compilers simplify `((s + y) - s) - y` to 0 unless told the arithmetic is exact,
 * which GLSL ES 1.0 cannot say; multiplying by a 1 they cannot prove to be 1 (it
 * depends on the thread index) keeps the compensation. The loop bound is a literal, so
 * gpu.js never cuts the loop off at `loopMaxIterations`.
 */
export const sumCode = (total: string, count: number, term: (p: string) => string): string => {
  const accumulator = compensatedAccumulator(total);
  return `${accumulator.declare}for (let ${total}P = 0; ${total}P < ${count}; ${total}P++) {\n${accumulator.add(term(`${total}P`))}}\n`;
};

/**
 * {@link sumCode}'s compensated accumulator taken apart, for sums whose terms come from
 * nested loops with bounds checks (the convolution kernels): `declare` declares `total`
 * (0) and its carry, `add(term)` is the statements adding one term.
 */
export const compensatedAccumulator = (
  total: string,
): { readonly declare: string; readonly add: (term: string) => string } => ({
  declare: `let ${total} = 0;\nlet ${total}Carry = 0;\nconst ${total}One = Math.min(this.thread.x, 0) + 1;\n`,
  add: (term) =>
    `const ${total}Term = ${term} - ${total}Carry;\n` +
    `const ${total}Next = ${total} + ${total}Term;\n` +
    `${total}Carry = (${total}Next * ${total}One - ${total}) - ${total}Term;\n` +
    `${total} = ${total}Next;\n`,
});
