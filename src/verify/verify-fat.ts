// Verify a FAT32 medium we wrote (a disk image, a block device, or a bare volume): parse it with
// our FAT32 reader and compare every file with the manifest on the volume.

import { readFat32 } from '../fat/index.js';
import { findFat32Volume } from '../partition/fat32-disk.js';
import type { PositionalReadHandle } from '../io/positional.js';
import { verifyAgainstManifest, type VerifyOptions, type VerifyOutcome } from './verify-manifest.js';

export async function verifyFat(
  source: string | PositionalReadHandle,
  options: VerifyOptions & { where?: string; partitionOffsetBytes?: number } = {},
): Promise<VerifyOutcome> {
  const offset = options.partitionOffsetBytes ?? (await findFat32Volume(source));
  const volume = await readFat32(source, offset, options.signal ? { signal: options.signal } : {});
  try {
    return await verifyAgainstManifest(
      { where: options.where ?? (typeof source === 'string' ? source : 'the medium'), files: volume.files, openFile: (file, signal) => volume.openFile(file, signal) },
      options,
    );
  } finally {
    await volume.close();
  }
}
