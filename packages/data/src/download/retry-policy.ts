import type { DownloadProblem } from '../error/data-error.js';

/**
 * The wait before retry number `retry` (0 for the first retry): `baseMs` doubled each
 * time, so a struggling server gets ever longer breaks.
 *
 * @example
 * ```ts
 * [0, 1, 2].map((r) => backoffDelay(r, 500)); // [500, 1000, 2000]
 * ```
 */
export const backoffDelay = (retry: number, baseMs: number): number => baseMs * 2 ** retry;

/**
 * Whether trying the same URL again may help: yes for time-outs, broken connections,
 * short bodies, `408`, `429` and `5xx`; no for other statuses (a `404` stays a `404`) or a
 * body that arrived whole and failed verification (then the next mirror is tried).
 *
 * @example
 * ```ts
 * isTransient({ kind: 'http-status', status: 503 }); // true
 * isTransient({ kind: 'http-status', status: 404 }); // false
 * ```
 */
export const isTransient = (problem: DownloadProblem): boolean => {
  switch (problem.kind) {
    case 'timeout':
    case 'network':
    case 'incomplete':
      return true;
    case 'http-status':
      return problem.status === 408 || problem.status === 429 || problem.status >= 500;
    case 'rejected':
      return false;
  }
};
