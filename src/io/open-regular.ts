// Opening a file the core reads, without ever blocking on it. open(2) of a FIFO for reading
// waits for a writer - forever, and in Node on a thread-pool thread that a cancel cannot free - so
// every input is opened with O_NONBLOCK (no effect on regular files and block devices) and fstat'ed
// before its first read; anything but a regular file (or, where the caller allows, a block device)
// is refused with the caller's error.

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errnoCode } from '../errors.js';
import { directOpenFlag } from './direct-flag.js';

// Windows has no O_NONBLOCK (and no FIFOs in the file system): 0 there.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface OpenRegularOptions {
  /** verify reads USB drives (/dev/sdb) as well as files. */
  readonly allowBlockDevice?: boolean;
}

/** Open `path` for reading; `refuse(kind)` builds the error for a FIFO, socket, folder or device. */
export async function openRegularFile(path: string, refuse: (kind: string) => Error, options: OpenRegularOptions = {}): Promise<FileHandle> {
  return checkedRegular(await open(path, READ_FLAGS), refuse, options);
}

/**
 * openRegularFile, bypassing the OS cache (O_DIRECT, FILE_FLAG_NO_BUFFERING) where the file
 * system allows it; `direct` says whether it does. Reads through such a handle must be aligned
 * (io/direct-flag.ts).
 */
export async function openRegularFileDirect(path: string, refuse: (kind: string) => Error): Promise<{ handle: FileHandle; direct: boolean }> {
  const flag = directOpenFlag();
  if (flag !== 0) {
    try {
      return { handle: await checkedRegular(await open(path, READ_FLAGS | flag), refuse, {}), direct: true };
    } catch (error: unknown) {
      // tmpfs and some network or FUSE file systems refuse the flag itself: read through the cache.
      if (errnoCode(error) !== 'EINVAL') throw error;
    }
  }
  return { handle: await openRegularFile(path, refuse), direct: false };
}

async function checkedRegular(handle: FileHandle, refuse: (kind: string) => Error, options: OpenRegularOptions): Promise<FileHandle> {
  try {
    const s = await handle.stat();
    if (s.isFile() || (options.allowBlockDevice === true && s.isBlockDevice())) return handle;
    const kind = s.isFIFO() ? 'a FIFO (named pipe)' : s.isSocket() ? 'a socket' : s.isDirectory() ? 'a folder' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : 'not a regular file';
    throw refuse(kind);
  } catch (error: unknown) {
    await handle.close();
    throw error;
  }
}
