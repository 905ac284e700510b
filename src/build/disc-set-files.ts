// Which files beside a disc set belong to it: the set id written into every disc's manifest, and
// the discs of an earlier, larger set under the same name that a new, smaller set would leave
// behind (capture3.iso after a 3-disc set is replaced by a 2-disc one).

import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** 32 hex digits naming one set; derived from what defines it, so reproducible builds stay reproducible. */
export function discSetId(parts: readonly (string | number)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${String(p)}\0`);
  return hash.digest('hex').slice(0, 32).toUpperCase();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Regular files named like disc N+1, N+2, … of the set `isoPath` names (capture.iso -> capture7.iso), in disc order. */
export async function leftoverDiscs(isoPath: string, discCount: number): Promise<string[]> {
  const ext = extname(isoPath);
  const pattern = new RegExp(`^${escape(basename(isoPath, ext))}([1-9]\\d{0,3})${escape(ext)}$`);
  const found: { disc: number; path: string }[] = [];
  for (const name of await readdir(dirname(isoPath)).catch(() => [] as string[])) {
    const m = pattern.exec(name);
    if (!m || Number(m[1]) <= discCount) continue;
    const path = join(dirname(isoPath), name);
    if ((await stat(path).catch(() => undefined))?.isFile()) found.push({ disc: Number(m[1]), path });
  }
  return found.sort((a, b) => a.disc - b.disc).map((f) => f.path);
}
