// What storage a block device really writes to, so that two names for one disk are seen as one.
// Device numbers alone are not enough: two loop devices attached to one image file, a dm or md
// device and the disks under it, and the several paths multipath gives one SAN disk all have
// different major:minor numbers, yet erasing one destroys what lives on the others.
//
// A device's storage keys, read from sysfs (Documentation/ABI/testing/sysfs-block):
//   dev:<maj:min>            the device itself, and for a partition its whole disk (erasing the disk erases it)
//   slaves/*                 dm (LVM, crypt, multipath) and md members, recursively
//   loop/backing_file        a loop device's file, as file:<st_dev>:<st_ino>, or the block device it wraps
//   device/wwid, wwid        the disk's world-wide id: two SCSI paths to one LUN share it
// Two devices share storage when their key sets meet.

import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { majorMinorOf } from '../../io/dev-t.js';

const MAX_DEPTH = 16; // stacks deeper than this do not exist; the cap only stops a loop in a crafted sysfs

async function text(path: string): Promise<string | undefined> {
  const value = await readFile(path, 'utf8').catch(() => undefined);
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The storage keys of the block device `majorMinor` (see the file comment). */
export async function storageKeys(majorMinor: string, sysRoot = '/sys', depth = 0, keys = new Set<string>()): Promise<Set<string>> {
  if (keys.has(`dev:${majorMinor}`) || depth > MAX_DEPTH) return keys;
  keys.add(`dev:${majorMinor}`);
  const node = await realpath(join(sysRoot, 'dev', 'block', majorMinor)).catch(() => undefined);
  if (node === undefined) return keys;
  const wwid = (await text(join(node, 'device', 'wwid'))) ?? (await text(join(node, 'wwid')));
  if (wwid !== undefined) keys.add(`wwid:${wwid}`);
  if ((await text(join(node, 'partition'))) !== undefined) {
    const parent = await text(join(dirname(node), 'dev'));
    if (parent !== undefined) await storageKeys(parent, sysRoot, depth + 1, keys);
  }
  for (const slave of await readdir(join(node, 'slaves')).catch(() => [] as string[])) {
    const dev = await text(join(node, 'slaves', slave, 'dev'));
    if (dev !== undefined) await storageKeys(dev, sysRoot, depth + 1, keys);
  }
  const backing = await text(join(node, 'loop', 'backing_file'));
  if (backing !== undefined) {
    const s = await stat(backing).catch(() => undefined);
    if (s?.isBlockDevice()) await storageKeys(majorMinorOf(s.rdev), sysRoot, depth + 1, keys);
    else if (s !== undefined) keys.add(`file:${majorMinorOf(s.dev)}:${s.ino}`);
    else keys.add(`file:${backing}`); // "(deleted)" or unreachable: the name is all there is
  }
  return keys;
}

/** The storage keys of the device a file or folder lives on (st_dev), or of a block device itself. */
export async function storageKeysOfPath(path: string, sysRoot = '/sys'): Promise<Set<string>> {
  const s = await stat(path);
  return storageKeys(majorMinorOf(s.isBlockDevice() ? s.rdev : s.dev), sysRoot);
}

export function sharesStorage(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const key of a) if (b.has(key)) return true;
  return false;
}
