// Disks a job reads from or writes to besides its targets: never to be erased (the wizard's rule
// made strict: never a disk holding the source, the temporary folder, an output or the log).

import type { DiskProvider } from './model.js';

/** A path the job uses, and how to name it to the user ("the boot image (D:\boot.wim)"). */
export interface PathInUse {
  readonly path: string;
  readonly what: string;
}

/** The disk of each path in use (first use wins), keyed by disk path. */
export async function disksInUse(provider: DiskProvider, uses: readonly PathInUse[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const { path, what } of uses) {
    const disk = await provider.diskOfPath(path);
    if (disk !== undefined && !map.has(disk)) map.set(disk, what);
  }
  // The same storage under another name (a second loop device on one image file, multipath, dm):
  // device numbers alone do not show it.
  const named = uses.map(({ path, what }) => [path, what] as const);
  for (const [disk, what] of (await provider.disksSharingStorage?.(named)) ?? []) if (!map.has(disk)) map.set(disk, what);
  return map;
}
