// What kind of medium a path holds, from its bytes (not its name): an ISO 9660 image has "CD001"
// at sector 16 (ECMA-119 §8.1); a FAT32 disk or volume has the 0x55AA signature in sector 0
// (an MBR, or a bare volume's boot sector); a folder is a mounted volume.

import { stat } from 'node:fs/promises';
import { openRegularFile } from '../io/open-regular.js';
import { CaptureMediaError, errnoCode } from '../errors.js';
import { SECTOR_BYTES as ISO_SECTOR_BYTES } from '../iso/fields.js';

export type MediumKind = 'iso' | 'fat' | 'folder';

export async function detectMedium(path: string): Promise<MediumKind> {
  let s;
  try {
    s = await stat(path);
  } catch (error: unknown) {
    throw new CaptureMediaError(errnoCode(error) === 'EACCES' ? 'PermissionDenied' : 'InvalidParameter', `Cannot read ${path}: ${(error as Error).message}`, {
      target: path,
      cause: error,
    });
  }
  if (s.isDirectory()) return 'folder';
  const handle = await openRegularFile(path, (kind) => new CaptureMediaError('MediaInvalid', `${path} is ${kind}: verify reads an ISO or image file, a drive, or a mounted folder.`, { target: path }), { allowBlockDevice: true });
  try {
    // ECMA-119: the system area is 16 sectors; the first volume descriptor says CD001 at +1.
    const vdOffset = 16 * ISO_SECTOR_BYTES;
    const head = Buffer.alloc(vdOffset + 8);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead >= head.length && head.toString('latin1', vdOffset + 1, vdOffset + 6) === 'CD001') return 'iso';
    if (bytesRead >= 512 && head[510] === 0x55 && head[511] === 0xaa) return 'fat';
  } finally {
    await handle.close();
  }
  throw new CaptureMediaError('MediaInvalid', `${path} is neither an ISO image nor a FAT32 disk/volume written by capture-media.`, { target: path });
}
