// FileLib: the file library of a ConfigMgr content library, where the bytes are.
//
// Microsoft's "The content library in Configuration Manager" doc: every file is stored once, as
// `FileLib\<first four characters of its hash>\<hash>` (no extension), next to `<hash>.INI`
// listing the content ids that reference it (and a `<hash>.sig`). The content library can be
// spread over several drives: ConfigMgr puts FileLib folders on other NTFS drives of the
// distribution point, each shared as `SCCMContentLib<letter>$`, so a blob is searched for in
// the FileLib of every root the user gave, in the order given.

import { stat } from 'node:fs/promises';
import type { LibraryDirectories } from './library-dir.js';
import { libraryIoError } from './library-error.js';
import { FILELIB } from './pkglib.js';

export const SHA256_HEX_PATTERN = /^[0-9A-F]{64}$/i;

export interface BlobLocation {
  readonly path: string;
  readonly sizeBytes: number;
}

/** Where a blob would be under one root (for "searched …" messages): `<root>/FileLib/<hash4>/<hash>`. */
export function blobRelativePath(sha256: string): string[] {
  const upper = sha256.toUpperCase();
  return [FILELIB, upper.slice(0, 4), upper];
}

/**
 * Find the blob of `sha256` in the FileLib of any root. Folder and file names are matched
 * ignoring case (see library-dir.ts). The first root holding it wins.
 */
export async function findBlob(dirs: LibraryDirectories, roots: readonly string[], sha256: string): Promise<BlobLocation | undefined> {
  if (!SHA256_HEX_PATTERN.test(sha256)) return undefined;
  const [fileLibName, prefix, hash] = blobRelativePath(sha256) as [string, string, string];
  for (const root of roots) {
    const fileLib = await dirs.find(root, fileLibName);
    if (!fileLib) continue;
    const bucket = await dirs.find(fileLib.path, prefix);
    if (!bucket) continue;
    const blob = await dirs.find(bucket.path, hash);
    if (!blob || blob.isDirectory) continue;
    try {
      const info = await stat(blob.path);
      if (!info.isFile()) continue;
      return { path: blob.path, sizeBytes: info.size };
    } catch (error: unknown) {
      throw libraryIoError(error, blob.path);
    }
  }
  return undefined;
}
