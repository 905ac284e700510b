// Verify media copied onto a mounted volume (-NoFormat): the files are read through the OS's own
// file system driver. Other files on the drive are allowed (we never delete foreign files).

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { STREAM_CHUNK_BYTES } from '../io/content.js';
import { verifyAgainstManifest, type VerifyOptions, type VerifyOutcome } from './verify-manifest.js';

interface FolderFile {
  readonly path: readonly string[];
  readonly sizeBytes: number;
  readonly fullPath: string;
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

export async function verifyFolder(root: string, options: VerifyOptions & { where?: string } = {}): Promise<VerifyOutcome> {
  const files: FolderFile[] = [];
  await walk(root, [], files, 0);
  return verifyAgainstManifest(
    {
      where: options.where ?? root,
      files,
      openFile: (file, signal) => createReadStream(file.fullPath, { highWaterMark: STREAM_CHUNK_BYTES, ...(signal ? { signal } : {}) }),
    },
    { allowForeignFiles: true, ...options },
  );
}
