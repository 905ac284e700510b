// Free-space preflight: fail before writing a byte rather than at 97 %.

import { statfs } from 'node:fs/promises';
import { CaptureMediaError, type ErrorId } from '../errors.js';
import { formatBytes } from './format-bytes.js';

export async function freeBytes(path: string): Promise<number | undefined> {
  try {
    const s = await statfs(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined; // a share or filesystem that cannot say: the write itself will tell
  }
}

export async function requireFreeSpace(dir: string, neededBytes: number, id: ErrorId, what: string): Promise<void> {
  const free = await freeBytes(dir);
  if (free !== undefined && free < neededBytes) {
    throw new CaptureMediaError(
      id,
      `${what} ${dir} has ${formatBytes(free)} free; ${formatBytes(neededBytes)} are needed. Free some space or choose another folder.`,
      { target: dir },
    );
  }
}
