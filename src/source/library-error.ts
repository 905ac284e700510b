// How file system failures inside a content library are reported. The contract is that a
// missing permission be "a clear error naming the path": every error here names the exact path
// that failed and what access is needed to read it.

import { CaptureMediaError, errnoCode } from '../errors.js';

/** What a user must grant for us to read a distribution point's content library. */
export const READ_ACCESS_HINT =
  'Read access on the content library is required (the SCCMContentLib$ share permission and the NTFS permissions on the folder).';

/** The path cannot be listed or opened because of permissions (or the share cannot be reached). */
export function unreadableError(path: string, cause: unknown, reason = describeErrno(cause)): CaptureMediaError {
  return new CaptureMediaError('ContentLibraryUnreadable', `Cannot read ${path}: ${reason}. ${READ_ACCESS_HINT}`, {
    target: path,
    cause,
  });
}

/** Something the library refers to is not there (a DataLib entry, a FileLib blob). */
export function invalidError(path: string, message: string, cause?: unknown): CaptureMediaError {
  return new CaptureMediaError('ContentLibraryInvalid', message, cause === undefined ? { target: path } : { target: path, cause });
}

function describeErrno(error: unknown): string {
  switch (errnoCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'access is denied';
    case 'ENOENT':
      return 'it does not exist or cannot be reached';
    case 'ENOTDIR':
      return 'it is not a folder';
    case 'EIO':
      return 'an I/O error occurred';
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
      return 'the share cannot be reached';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Map an error thrown by fs while reading `path` inside the library. Permission problems (and
 * anything else that stops us reading) become ContentLibraryUnreadable; a path that vanished is
 * ContentLibraryInvalid, because the library's own INI files said it should be there.
 */
export function libraryIoError(error: unknown, path: string): CaptureMediaError {
  if (error instanceof CaptureMediaError) return error;
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return invalidError(path, `${path} is missing from the content library.`, error);
  }
  return unreadableError(path, error);
}
