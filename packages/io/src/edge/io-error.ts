/** Words for the file-system errors people meet; others keep Node's wording. */
const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'already exists and is not empty',
  ENAMETOOLONG: 'the name is too long',
};

/** Node's message without the `, syscall 'path'` it ends with: the caller names the path once. */
const withoutPath = (message: string): string => message.replace(/, \w+ '[^]*$/, '');

/**
 * Whether a value is an error from a Node system call (it has a string `code`).
 *
 * @example
 * isErrnoException(Object.assign(new Error('x'), { code: 'ENOENT' })); // true
 */
export const isErrnoException = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';

/**
 * One clause for a failed file-system call, without the path (the caller names it).
 *
 * @example
 * describeIoError('read', Object.assign(new Error('…'), { code: 'ENOENT' })); // 'cannot read: does not exist'
 */
export function describeIoError(action: string, error: unknown): string {
  const reason = isErrnoException(error) ? (reasons[error.code ?? ''] ?? withoutPath(error.message)) : String(error);
  return `cannot ${action}: ${reason}`;
}
