// Every regular file under a folder (a client source, a template or a medium copied to disk),
// with sizes, for media built from folders. Bounded in depth and count; symbolic links, devices
// and FIFOs are refused rather than followed or read, since a link could lead outside the folder
// named and a FIFO would block the read forever.

import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureMediaError, errnoCode, type ErrorId } from '../errors.js';

/** A site's OSD\bin or a capture medium holds a few thousand files at most; far more is not one. */
const MAX_FILES = 100_000;
const MAX_DEPTH = 16;

export interface FolderFile {
  /** Components below the folder walked. */
  readonly relative: readonly string[];
  readonly fullPath: string;
  readonly sizeBytes: number;
  readonly modified: Date;
}

export function unreadable(path: string, error: unknown, id: ErrorId): CaptureMediaError {
  const code = errnoCode(error);
  return new CaptureMediaError(
    code === 'EACCES' || code === 'EPERM' ? 'PermissionDenied' : id,
    `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}${code === 'EACCES' || code === 'EPERM' ? ' (Read access to the share and folder is needed)' : ''}`,
    { target: path, cause: error },
  );
}

/**
 * Every regular file under `root`, in name order. Symbolic links are refused rather than followed:
 * a link could lead out of the folder the admin named.
 */
export async function listFolderFiles(root: string, id: ErrorId): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (relative: readonly string[]): Promise<void> => {
    if (relative.length > MAX_DEPTH) throw new CaptureMediaError(id, `${join(root, ...relative)} nests deeper than ${MAX_DEPTH} folders.`, { target: root });
    const dir = join(root, ...relative);
    let names;
    try {
      names = (await readdir(dir)).sort();
    } catch (error: unknown) {
      throw unreadable(dir, error, id);
    }
    for (const name of names) {
      const fullPath = join(dir, name);
      let s: Stats;
      try {
        s = await lstat(fullPath);
      } catch (error: unknown) {
        throw unreadable(fullPath, error, id);
      }
      if (s.isSymbolicLink()) throw new CaptureMediaError(id, `${fullPath} is a symbolic link; copy the real files into ${root} instead.`, { target: fullPath });
      if (s.isDirectory()) await walk([...relative, name]);
      else if (s.isFile()) {
        if (out.length >= MAX_FILES) throw new CaptureMediaError(id, `${root} holds more than ${MAX_FILES} files: it is not a ConfigMgr folder or medium.`, { target: root });
        out.push({ relative: [...relative, name], fullPath, sizeBytes: s.size, modified: s.mtime });
      } else {
        throw new CaptureMediaError(id, `${fullPath} is not a regular file or folder (a device or FIFO?).`, { target: fullPath });
      }
    }
  };
  await walk([]);
  return out;
}

