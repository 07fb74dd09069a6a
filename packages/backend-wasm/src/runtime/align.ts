/** `n` rounded up to a multiple of `to`. */
export const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;
