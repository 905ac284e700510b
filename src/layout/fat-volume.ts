// The FAT32 volume of USB media (the wizard's "Format removable USB drive (FAT32) and make
// bootable"): the media tree laid out for USB, a manifest, and one FAT32 plan that every target
// shares, so the volume is streamed once however many drives receive it.

import { createHash } from 'node:crypto';
import { CaptureMediaError } from '../errors.js';
import { planFat32Disk, type Fat32Layout } from '../partition/fat32-disk.js';
import type { MediaTree } from './media-tree.js';
import type { MediaPlan } from '../plan/media-plan.js';
import { describeBytes } from '../plan/size.js';
import { usbVolumeFiles } from './media-files.js';

const MiB = 1024 * 1024;
export const IMAGE_SIZE_GRANULE_BYTES = 64 * MiB;
export const PARTITION_OFFSET_BYTES = MiB;

export interface UsbVolume {
  readonly tree: MediaTree;
  readonly layout: Fat32Layout;
  readonly files: number;
  readonly contentBytes: number;
}

/** Default image size: the content plus 10 %, rounded up to the next 64 MiB (and at least 64 MiB). */
export function defaultImageSizeBytes(contentBytes: number, fileCount: number): number {
  const overhead = PARTITION_OFFSET_BYTES + fileCount * 4096 + 4 * MiB;
  const wanted = Math.ceil((contentBytes * 1.1 + overhead) / IMAGE_SIZE_GRANULE_BYTES) * IMAGE_SIZE_GRANULE_BYTES;
  return Math.max(IMAGE_SIZE_GRANULE_BYTES, wanted);
}

/** Volume serial and MBR disk signature from the build's inputs, so SOURCE_DATE_EPOCH builds are reproducible. */
function identifiers(label: string, created: Date): { volumeId: number; diskSignature: number } {
  const h = createHash('sha256').update(`${label}\u0000${created.toISOString()}`).digest();
  return { volumeId: h.readUInt32LE(0), diskSignature: h.readUInt32LE(4) };
}

export function planUsbVolume(plan: MediaPlan, tree: MediaTree, created: Date, diskSizeBytes: number | undefined): UsbVolume {
  const files = usbVolumeFiles(plan, tree, created);
  const contentBytes = files.reduce((s, f) => s + f.content.sizeBytes, 0);
  const size = diskSizeBytes ?? defaultImageSizeBytes(contentBytes, files.length);
  let layout: Fat32Layout;
  try {
    layout = planFat32Disk(
      { files },
      { diskSizeBytes: size, label: plan.label.fat, recordedAt: created, partitionOffsetBytes: PARTITION_OFFSET_BYTES, ...identifiers(plan.label.text, created) },
    );
  } catch (error: unknown) {
    // The FAT planner says why in its own terms (clusters); the user needs a size that works.
    if (error instanceof CaptureMediaError && error.id === 'DiskTooSmall' && diskSizeBytes !== undefined) {
      // The default image size (at least 64 MiB, above FAT32's ~34 MB minimum) always fits.
      const works = defaultImageSizeBytes(contentBytes, files.length);
      throw new CaptureMediaError(
        'DiskTooSmall',
        `${describeBytes(diskSizeBytes)} is too small for this media (${files.length} files, ${describeBytes(contentBytes)}); a disk or -ImageSize of at least ${describeBytes(works)} works. (${error.message})`,
        { cause: error, ...(error.target === undefined ? {} : { target: error.target }) },
      );
    }
    throw error;
  }
  return { tree, layout, files: files.length, contentBytes };
}
