// Verify a FAT32 medium we wrote (a disk image, a block device, or a bare volume): parse it with
// our FAT32 reader and compare every file with the manifest on the volume. Given a path, the
// medium is read past the page cache (O_DIRECT), so what is compared is what reached the disk.

import { readFat32 } from '../fat/index.js';
import { openDirectReader } from '../io/direct-reader.js';
import { offsetReaderHandle, type PositionalReadHandle, type StreamingReader } from '../io/positional.js';
import { findFat32Volume } from '../partition/fat32-disk.js';
import { verifyAgainstManifest, type VerifyOptions, type VerifyOutcome } from './verify-manifest.js';

export interface VerifyFatOptions extends VerifyOptions {
  readonly where?: string;
  readonly partitionOffsetBytes?: number;
  /** With a handle: stream file contents through this reader (the handle's own O_DIRECT reader). */
  readonly streamer?: StreamingReader;
}

export async function verifyFat(source: string | PositionalReadHandle, options: VerifyFatOptions = {}): Promise<VerifyOutcome> {
  if (typeof source !== 'string') return verifyFatThrough(source, options.streamer, options, 'the medium');
  const reader = await openDirectReader(source, options.direct === false ? { direct: false } : {});
  try {
    const outcome = await verifyFatThrough(offsetReaderHandle(reader, true), reader, options, source);
    return { ...outcome, readsBypassedCache: reader.direct, ...(reader.fallbackReason === undefined ? {} : { cachedReadsReason: reader.fallbackReason }) };
  } finally {
    await reader.close();
  }
}

async function verifyFatThrough(handle: PositionalReadHandle, streamer: StreamingReader | undefined, options: VerifyFatOptions, name: string): Promise<VerifyOutcome> {
  const offset = options.partitionOffsetBytes ?? (await findFat32Volume(handle));
  // The volume does not own the handle: closing it closes nothing the caller still needs.
  const volume = await readFat32(handle, offset, { ...(options.signal ? { signal: options.signal } : {}), ...(streamer ? { streamer } : {}) });
  return verifyAgainstManifest({ where: options.where ?? name, files: volume.files, openFile: (file, signal) => volume.openFile(file, signal) }, options);
}
