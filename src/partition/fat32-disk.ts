// A disk with an MBR and one FAT32 partition, or a bare FAT32 volume ("superfloppy"): the composer
// that puts fat/'s volume into a byte range of a disk, as go-diskfs keeps partition table and file
// system apart. The FAT32 planner and writer never see the MBR; this file adds it, aligns the
// partition (1 MiB, as Windows and fdisk do), and keeps etcher-sdk's rule that the first sector of
// the disk is written last, so nothing recognises a half-written disk.
//
// The gap between the MBR and the partition is written as zeros, not skipped: stale GPT headers or
// file system signatures from a device's previous life must not survive there. The disk after the
// partition may be skipped.

import { open } from 'node:fs/promises';
import { CaptureMediaError, throwIfAborted } from '../errors.js';
import type { FileTree } from '../io/file-tree.js';
import type { PositionalReadHandle } from '../io/positional.js';
import { writeZeros, type ByteSink } from '../io/sink.js';
import { bootStub } from '../fat/boot-code.js';
import { encodeFat32BootSector, parseFat32BootSector } from '../fat/boot-sector.js';
import { emitFat32Volume } from '../fat/emit.js';
import { planFat32Volume, type Fat32VolumeLayout } from '../fat/plan.js';
import { readFat32, type Fat32Volume, type ReadFat32Options } from '../fat/reader.js';
import { DEFAULT_PARTITION_START_LBA, encodeMbr, parseMbr, partitionEntry, PARTITION_TYPE_FAT32_CHS, PARTITION_TYPE_FAT32_LBA, SECTOR_BYTES, type Mbr } from './mbr.js';

export const DEFAULT_PARTITION_OFFSET_BYTES = DEFAULT_PARTITION_START_LBA * SECTOR_BYTES;
/** MBR LBA and sector-count fields are 32 bits. */
const MAX_SECTORS_32 = 0xffffffff;

export interface Fat32Options {
  /** Size of the whole image file or device, in bytes. */
  readonly diskSizeBytes: number;
  /** FAT label, up to 11 characters (validated, upper-cased); '' for none. */
  readonly label: string;
  /** BS_VolID (u32): usually derived from the time; from options for reproducible output. */
  readonly volumeId: number;
  /** MBR disk signature (u32) at +0x1B8. */
  readonly diskSignature: number;
  /** Timestamps of directories, the label entry, and files without their own `modified`. */
  readonly recordedAt: Date;
  /** Where the partition starts; default 1 MiB. 0 writes a bare volume without an MBR. */
  readonly partitionOffsetBytes?: number;
  /** Cap on the partition size (Windows' diskpart path caps FAT32 at 32 GiB; we need not). */
  readonly maxPartitionBytes?: number;
  /** Override the cluster size (tests, tool comparisons); default as Windows' format chooses. */
  readonly clusterSizeBytes?: number;
}

/** The volume's layout, and where it sits on the disk. */
export interface Fat32Layout extends Fat32VolumeLayout {
  readonly diskSizeBytes: number;
  /** 0 for a bare volume. */
  readonly partitionOffsetBytes: number;
  readonly partitionSizeBytes: number;
  /** Absent for a bare volume. */
  readonly mbr: Mbr | undefined;
}

export interface EmitFat32Options {
  readonly signal?: AbortSignal;
  /** Called with every advance of the sink's position (written or skipped); totals layout.diskSizeBytes. */
  readonly onBytes?: (count: number) => void;
  /** Write sector 0 last via sink.writeAt when available (default true). */
  readonly firstSectorLast?: boolean;
}

function invalid(message: string, target: string): CaptureMediaError {
  return new CaptureMediaError('InvalidParameter', message, { target });
}

function checkDiskOptions(options: Fat32Options, partitionOffsetBytes: number): void {
  if (!Number.isSafeInteger(options.diskSizeBytes) || options.diskSizeBytes <= 0) {
    throw invalid(`The disk size ${options.diskSizeBytes} is not a positive number of bytes.`, 'diskSizeBytes');
  }
  if (!Number.isSafeInteger(partitionOffsetBytes) || partitionOffsetBytes < 0 || partitionOffsetBytes % SECTOR_BYTES !== 0) {
    throw invalid(`The partition offset ${partitionOffsetBytes} is not a whole number of 512-byte sectors.`, 'partitionOffsetBytes');
  }
  if (!Number.isInteger(options.diskSignature) || options.diskSignature < 0 || options.diskSignature > 0xffffffff) {
    throw invalid(`diskSignature must be a 32-bit unsigned integer, not ${options.diskSignature}.`, 'diskSignature');
  }
}

/** Sectors from the partition start to the end of the disk (or the cap), within the MBR's 32-bit fields. */
function partitionSectorCount(options: Fat32Options, partitionOffsetBytes: number): number {
  let bytes = options.diskSizeBytes - partitionOffsetBytes;
  if (options.maxPartitionBytes !== undefined) bytes = Math.min(bytes, options.maxPartitionBytes);
  const sectors = Math.min(Math.floor(bytes / SECTOR_BYTES), MAX_SECTORS_32 - partitionOffsetBytes / SECTOR_BYTES);
  return Math.max(0, sectors);
}

/** Plan the volume into its byte range, then the MBR around it. Pure; nothing is read or written. */
export function planFat32Disk(tree: FileTree, options: Fat32Options): Fat32Layout {
  const partitionOffsetBytes = options.partitionOffsetBytes ?? DEFAULT_PARTITION_OFFSET_BYTES;
  checkDiskOptions(options, partitionOffsetBytes);
  const partitionStartLba = partitionOffsetBytes / SECTOR_BYTES;
  const volume = planFat32Volume(tree, {
    volumeSectorCount: partitionSectorCount(options, partitionOffsetBytes),
    hiddenSectorCount: partitionStartLba,
    label: options.label,
    volumeId: options.volumeId,
    recordedAt: options.recordedAt,
    ...(options.clusterSizeBytes === undefined ? {} : { clusterSizeBytes: options.clusterSizeBytes }),
  });
  const mbr: Mbr | undefined =
    partitionOffsetBytes === 0
      ? undefined
      : {
          bootCode: bootStub(0, 440),
          diskSignature: options.diskSignature >>> 0,
          reserved: 0,
          partitions: [partitionEntry(partitionStartLba, volume.geometry.volumeSectorCount)],
        };
  const layout: Fat32Layout = { ...volume, diskSizeBytes: options.diskSizeBytes, partitionOffsetBytes, partitionSizeBytes: volume.volumeSizeBytes, mbr };
  if (layout.partitionOffsetBytes + layout.partitionSizeBytes > layout.diskSizeBytes) {
    throw new CaptureMediaError('InternalError', 'FAT32 layout check failed: the partition extends past the disk');
  }
  return layout;
}

/**
 * Write the whole disk (or bare volume) of `layout` to `sink`, which must be positioned at the
 * disk's first byte: the MBR (as zeros when it is written last), zeros to the partition, the
 * volume, then the rest of the disk; finally sector 0.
 */
export async function emitFat32Disk(layout: Fat32Layout, sink: ByteSink, options: EmitFat32Options = {}): Promise<void> {
  const base = sink.position;
  const offset = () => sink.position - base;
  const deferFirst = (options.firstSectorLast ?? true) && sink.writeAt !== undefined;
  const firstSector = layout.mbr ? encodeMbr(layout.mbr) : encodeFat32BootSector(layout.bootSector);
  const progress = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onBytes ? { onBytes: options.onBytes } : {}) };
  if (layout.mbr) {
    throwIfAborted(options.signal);
    await sink.write(deferFirst ? new Uint8Array(SECTOR_BYTES) : firstSector);
    options.onBytes?.(SECTOR_BYTES);
    await writeZeros(sink, layout.partitionOffsetBytes - offset(), progress);
  }
  await emitFat32Volume(layout, sink, { ...progress, bootSectorAsZeros: deferFirst && !layout.mbr });
  // The disk after the partition.
  const rest = layout.diskSizeBytes - offset();
  if (rest > 0) {
    throwIfAborted(options.signal);
    if (sink.skip) {
      await sink.skip(rest);
      options.onBytes?.(rest);
    } else {
      await writeZeros(sink, rest, progress);
    }
  }
  if (offset() !== layout.diskSizeBytes) throw new Error(`FAT32 emit ended at ${offset()}, not ${layout.diskSizeBytes}`);
  if (deferFirst) {
    throwIfAborted(options.signal);
    await sink.writeAt!(base, firstSector);
  }
}

/**
 * Plan then emit: every check (file sizes, names, label, disk size) happens in planFat32Disk,
 * before the first byte reaches the sink. Returns the layout that was written.
 */
export async function writeFat32Disk(tree: FileTree, fatOptions: Fat32Options, sink: ByteSink, options: EmitFat32Options = {}): Promise<Fat32Layout> {
  const layout = planFat32Disk(tree, fatOptions);
  await emitFat32Disk(layout, sink, options);
  return layout;
}

/**
 * Where the FAT32 volume of a disk or image starts: 0 for a bare volume (a FAT32 boot sector at
 * sector 0), else the first FAT32 partition of its MBR. MediaInvalid when there is neither.
 */
export async function findFat32Volume(source: string | PositionalReadHandle): Promise<number> {
  const handle = typeof source === 'string' ? await open(source, 'r') : source;
  try {
    const sector = new Uint8Array(SECTOR_BYTES);
    const { bytesRead } = await handle.read(sector, 0, SECTOR_BYTES, 0);
    if (bytesRead < SECTOR_BYTES) throw new CaptureMediaError('MediaInvalid', 'The disk is shorter than one sector.');
    try {
      parseFat32BootSector(sector);
      return 0; // a bare volume (a "superfloppy")
    } catch {
      // not a boot sector: try an MBR
    }
    const stats = await handle.stat();
    const mbr = parseMbr(sector, 0, stats.isFile() ? Math.floor(stats.size / SECTOR_BYTES) : undefined);
    const partition = mbr.partitions.find((p) => p.type === PARTITION_TYPE_FAT32_LBA || p.type === PARTITION_TYPE_FAT32_CHS);
    if (!partition) throw new CaptureMediaError('MediaInvalid', 'The disk has no FAT32 partition (type 0x0B or 0x0C) and no FAT32 volume at sector 0.');
    return partition.firstLba * SECTOR_BYTES;
  } finally {
    if (typeof source === 'string') await handle.close();
  }
}

/** Open the FAT32 volume of a disk, image or bare volume, wherever findFat32Volume says it starts. */
export async function readFat32Disk(source: string | PositionalReadHandle, options: ReadFat32Options = {}): Promise<Fat32Volume> {
  return readFat32(source, await findFat32Volume(source), options);
}
