// The log file itself: opened so that it can never hang the job or be redirected, appended with
// synchronous writes (a regular file's write never waits on anyone), rolled at LOG_ROLL_BYTES the
// way winston's tailable File transport names its files (CaptureMedia.log is always the newest;
// CaptureMedia1.log … CaptureMedia4.log the older ones).
//
// Opening: lstat first (a symlink is refused: root must never create or append to a file through a
// link someone else planted; a FIFO, device or folder is refused: a FIFO would block the process),
// then open with O_NOFOLLOW | O_NONBLOCK (the same two rules, closing the race after the lstat),
// then fstat that the descriptor is a regular file.
// Writing: any failure (ENOSPC on a full disk, EIO, a file that refuses writes like /proc/self/mem)
// ends logging for this run and is reported once through onFailure; the job goes on.

import { closeSync, constants, fstatSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { CaptureMediaError, errnoCode } from '../errors.js';

export const LOG_ROLL_BYTES = 5 * 1024 * 1024;
/** Files kept, the current one included. */
export const LOG_ROLL_FILES = 5;

// Windows has neither flag (nor FIFOs or symlinks a service would follow this way): 0 there.
const OPEN_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function invalid(path: string, why: string, cause?: unknown): CaptureMediaError {
  return new CaptureMediaError('LogPathInvalid', `The log file "${path}" ${why}. Pass --log-path with a regular file in a writable folder (e.g. /var/log/capture-media/CaptureMedia.log).`, {
    target: path,
    cause,
  });
}

function openRegular(path: string): number {
  let existing;
  try {
    existing = lstatSync(path);
  } catch (error: unknown) {
    if (errnoCode(error) !== 'ENOENT') throw invalid(path, `cannot be examined (${errnoCode(error) ?? String(error)})`, error);
  }
  if (existing?.isSymbolicLink()) throw invalid(path, 'is a symbolic link; logs are never written through a link');
  if (existing !== undefined && !existing.isFile()) throw invalid(path, 'is not a regular file (a folder, FIFO, socket or device)');
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS, 0o644);
  } catch (error: unknown) {
    const code = errnoCode(error);
    // ELOOP: became a link after the lstat (O_NOFOLLOW). ENXIO: became a FIFO without a reader.
    throw invalid(path, code === 'ELOOP' ? 'is a symbolic link; logs are never written through a link' : `cannot be opened (${code ?? String(error)})`, error);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw invalid(path, 'is not a regular file (a folder, FIFO, socket or device)');
  }
  return fd;
}

export class LogFile {
  #fd: number | undefined;
  #size: number;
  #failed = false;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly onFailure: (message: string) => void,
  ) {
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  /** LogPathInvalid when the path is not a usable regular file (see the file comment). */
  static open(path: string, onFailure: (message: string) => void): LogFile {
    return new LogFile(path, openRegular(path), onFailure);
  }

  append(text: string): void {
    if (this.#failed || this.#fd === undefined) return;
    try {
      const bytes = Buffer.from(text, 'utf8');
      if (this.#size > 0 && this.#size + bytes.length > LOG_ROLL_BYTES) this.#roll();
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done);
      this.#size += bytes.length;
    } catch (error: unknown) {
      this.#fail(error);
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Closing a log whose writes already failed may fail the same way; nothing is lost by it.
    }
    this.#fd = undefined;
  }

  #rolledName(n: number): string {
    const ext = extname(this.path);
    return join(dirname(this.path), `${basename(this.path, ext)}${n}${ext}`);
  }

  #roll(): void {
    this.close();
    rmSync(this.#rolledName(LOG_ROLL_FILES - 1), { force: true });
    for (let n = LOG_ROLL_FILES - 2; n >= 1; n -= 1) {
      try {
        renameSync(this.#rolledName(n), this.#rolledName(n + 1));
      } catch (error: unknown) {
        if (errnoCode(error) !== 'ENOENT') throw error;
      }
    }
    renameSync(this.path, this.#rolledName(1));
    this.#fd = openRegular(this.path);
    this.#size = 0;
  }

  #fail(error: unknown): void {
    this.#failed = true;
    this.close();
    this.onFailure(`The log ${this.path} cannot be written (${errnoCode(error) ?? (error as Error).message}); the job goes on without it.`);
  }
}
