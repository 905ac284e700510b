// Opening a file the core reads, without ever blocking on it. open(2) of a FIFO for reading
// waits for a writer - forever, and in Node on a thread-pool thread that a cancel cannot free - so
// every input is opened with O_NONBLOCK (no effect on regular files and block devices) and fstat'ed
// before its first read; anything but a regular file (or, where the caller allows, a block device)
// is refused with the caller's error.

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

// Windows has no O_NONBLOCK (and no FIFOs in the file system): 0 there.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface OpenRegularOptions {
  /** verify reads USB drives (/dev/sdb) as well as files. */
  readonly allowBlockDevice?: boolean;
}

/** Open `path` for reading; `refuse(kind)` builds the error for a FIFO, socket, folder or device. */
export async function openRegularFile(path: string, refuse: (kind: string) => Error, options: OpenRegularOptions = {}): Promise<FileHandle> {
  const handle = await open(path, READ_FLAGS);
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
