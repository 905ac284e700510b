// Reads that bypass the OS cache: the open() flag and the alignment it asks for. Used by verify
// (io/direct-reader.ts: read what reached the disk) and by the large content streams
// (io/pooled-reads.ts: no copy through the page cache, docs/benchmarks.md).

import { constants } from 'node:fs';

/** O_DIRECT alignment: 4096 covers 512e and 4Kn devices and every page-cache-backed file system. */
export const DIRECT_ALIGNMENT = 4096;

/**
 * The open() flag for reads that bypass the OS cache. Node exports O_DIRECT only where the OS
 * defines it; on Windows libuv maps its own UV_FS_O_DIRECT, 0x02000000, to
 * FILE_FLAG_NO_BUFFERING (deps/uv/include/uv/win.h), with the same alignment rules. macOS has
 * neither: 0 there, so reads are buffered and say so.
 */
export function directOpenFlag(platform: NodeJS.Platform = process.platform): number {
  if (platform === 'win32') return 0x02000000;
  return constants.O_DIRECT ?? 0;
}
