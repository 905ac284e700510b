// Verify media copied onto a mounted volume (Windows USB, -NoFormat): the files are read through
// the OS's own file system driver, with unbuffered reads (O_DIRECT on Linux,
// FILE_FLAG_NO_BUFFERING on Windows: see directOpenFlag) so that they come from the drive, not
// from the cache the copy just filled. Where the file system refuses unbuffered reads the file is
// read normally and onCachedReads says why (the documented fallback of openDirectReader). Other
// files on the drive are allowed (we never delete foreign files).

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openDirectReader } from '../io/direct-reader.js';
import { verifyAgainstManifest, type VerifyOptions, type VerifyOutcome } from './verify-manifest.js';

interface FolderFile {
  readonly path: readonly string[];
  readonly sizeBytes: number;
  readonly fullPath: string;
}

export interface FolderVerifyOptions extends VerifyOptions {
  readonly where?: string;
  /** Called once, with the reason, if any file had to be read through the OS cache. */
  readonly onCachedReads?: (reason: string) => void;
}

const MAX_FILES = 1_000_000;

async function walk(root: string, prefix: readonly string[], out: FolderFile[], depth: number): Promise<void> {
  if (depth > 64 || out.length > MAX_FILES) return;
  for (const entry of await readdir(join(root, ...prefix), { withFileTypes: true })) {
    const path = [...prefix, entry.name];
    if (entry.isDirectory()) await walk(root, path, out, depth + 1);
    else if (entry.isFile()) out.push({ path, sizeBytes: (await stat(join(root, ...path))).size, fullPath: join(root, ...path) });
  }
}

export async function verifyFolder(root: string, options: FolderVerifyOptions = {}): Promise<VerifyOutcome> {
  const files: FolderFile[] = [];
  await walk(root, [], files, 0);
  let cachedReason: string | undefined;
  async function* openFile(file: FolderFile, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const reader = await openDirectReader(file.fullPath, options.direct === false ? { direct: false } : {});
    try {
      yield* reader.stream(0, file.sizeBytes, signal);
    } finally {
      await reader.close();
      if (!reader.direct && cachedReason === undefined) {
        cachedReason = reader.fallbackReason ?? 'unbuffered reads unavailable';
        options.onCachedReads?.(cachedReason);
      }
    }
  }
  const outcome = await verifyAgainstManifest({ where: options.where ?? root, files, openFile }, { allowForeignFiles: true, ...options });
  return { ...outcome, readsBypassedCache: cachedReason === undefined, ...(cachedReason === undefined ? {} : { cachedReadsReason: cachedReason }) };
}
