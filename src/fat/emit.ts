// emitFat32Disk: write a planned Fat32Layout to a sink in one sequential pass, ascending offsets:
//
//   [MBR sector 0][zeros to the partition start]            (absent for a bare volume)
//   reserved: boot sector, FSInfo, zeros, backup boot (6), backup FSInfo (7), zeros to 32
//   FAT #1, FAT #2                                           (generated in 1 MiB chunks)
//   data: directories (root first), then every file's bytes streamed once, padded to its clusters
//   free clusters, then the disk after the partition         (skipped when the sink can skip)
//
// The first sector of the disk is emitted as zeros and written last with sink.writeAt when the
// sink offers it (etcher-sdk's rule: nothing recognises a half-written disk). The gap between the
// MBR and the partition is written as zeros, not skipped: stale GPT headers or file system
// signatures from a device's previous life must not survive there. Free clusters may be skipped:
// a FAT32 driver never reads a cluster the FAT says is free.

import { throwIfAborted } from '../errors.js';
import { checkedStream } from '../io/content.js';
import { ReadAhead } from '../io/read-ahead.js';
import { writeZeros, type ByteSink } from '../io/sink.js';
import { encodeMbr } from '../partition/mbr.js';
import { encodeFat32BootSector } from './boot-sector.js';
import { fatTableChunks } from './fat-table.js';
import { encodeFsInfo } from './fsinfo.js';
import { SECTOR_BYTES } from './geometry.js';
import type { FileTree } from '../io/file-tree.js';
import { planFat32, type Fat32Layout, type Fat32Options } from './plan.js';

export interface EmitFat32Options {
  readonly signal?: AbortSignal;
  /** Called with every advance of the sink's position (written or skipped); totals layout.diskSizeBytes. */
  readonly onBytes?: (count: number) => void;
  /** Write sector 0 last via sink.writeAt when available (default true). */
  readonly firstSectorLast?: boolean;
}

class Emitter {
  constructor(
    private readonly sink: ByteSink,
    /** The sink's position when the emit began: the disk's byte 0. */
    readonly base: number,
    private readonly options: EmitFat32Options,
  ) {}

  /** Bytes emitted since the start of this emit (the sink may have started elsewhere). */
  get offset(): number {
    return this.sink.position - this.base;
  }

  async write(bytes: Uint8Array): Promise<void> {
    throwIfAborted(this.options.signal);
    await this.sink.write(bytes);
    this.options.onBytes?.(bytes.length);
  }

  async zeros(count: number): Promise<void> {
    await writeZeros(this.sink, count, this.options);
  }

  async skip(count: number): Promise<void> {
    if (count <= 0) return;
    throwIfAborted(this.options.signal);
    if (this.sink.skip) {
      await this.sink.skip(count);
      this.options.onBytes?.(count);
    } else {
      await this.zeros(count);
    }
  }

  /** Pad with zeros up to `offset` (relative to the start of the emit). */
  async zerosTo(offset: number): Promise<void> {
    if (this.offset > offset) throw new Error(`FAT32 emit overran: at ${this.offset}, expected ≤ ${offset}`);
    await this.zeros(offset - this.offset);
  }
}

/**
 * Write the whole disk (or bare volume) of `layout` to `sink`, which must be positioned at the
 * disk's first byte. Each file's ContentSource is streamed exactly once.
 */
export async function emitFat32Disk(layout: Fat32Layout, sink: ByteSink, options: EmitFat32Options = {}): Promise<void> {
  const e = new Emitter(sink, sink.position, options);
  const deferFirst = (options.firstSectorLast ?? true) && sink.writeAt !== undefined;
  const firstSector = layout.mbr ? encodeMbr(layout.mbr) : encodeFat32BootSector(layout.bootSector);
  if (layout.mbr) {
    await e.write(deferFirst ? new Uint8Array(SECTOR_BYTES) : firstSector);
    await e.zerosTo(layout.partitionOffsetBytes);
  }
  await writeReservedRegion(layout, e, deferFirst && !layout.mbr);
  await writeFats(layout, e);
  await writeDirectories(layout, e);
  await writeFiles(layout, e, options.signal);
  // Free clusters, the sectors after the last whole cluster, then the disk after the partition.
  const partitionEnd = layout.partitionOffsetBytes + layout.partitionSizeBytes;
  await e.skip(partitionEnd - e.offset);
  await e.skip(layout.diskSizeBytes - e.offset);
  if (e.offset !== layout.diskSizeBytes) throw new Error(`FAT32 emit ended at ${e.offset}, not ${layout.diskSizeBytes}`);
  if (deferFirst) {
    throwIfAborted(options.signal);
    await sink.writeAt!(e.base, firstSector);
  }
}

/** Sectors 0..31 of the volume: §3 boot sector, §5 FSInfo, and their backups at 6 and 7. */
async function writeReservedRegion(layout: Fat32Layout, e: Emitter, bootSectorAsZeros: boolean): Promise<void> {
  const start = layout.partitionOffsetBytes;
  const boot = encodeFat32BootSector(layout.bootSector);
  const fsInfo = encodeFsInfo(layout.fsInfo);
  const bs = layout.bootSector;
  await e.write(bootSectorAsZeros ? new Uint8Array(SECTOR_BYTES) : boot);
  await e.zerosTo(start + bs.fsInfoSector * SECTOR_BYTES);
  await e.write(fsInfo);
  await e.zerosTo(start + bs.backupBootSector * SECTOR_BYTES);
  await e.write(boot);
  await e.write(fsInfo); // backup FSInfo follows the backup boot sector (sector 7)
  await e.zerosTo(start + bs.reservedSectorCount * SECTOR_BYTES);
}

async function writeFats(layout: Fat32Layout, e: Emitter): Promise<void> {
  const g = layout.geometry;
  const spec = {
    media: layout.bootSector.media,
    entryCount: (g.fatSectorCount * SECTOR_BYTES) / 4,
    usedClusterCount: layout.usedClusterCount,
    chainEnds: layout.chainEnds,
  };
  for (let copy = 0; copy < g.fatCount; copy++) {
    for (const chunk of fatTableChunks(spec)) await e.write(chunk);
  }
}

function clusterOffset(layout: Fat32Layout, clusterIndex: number): number {
  const g = layout.geometry;
  return layout.partitionOffsetBytes + (g.dataStartSector + (clusterIndex - 2) * g.sectorsPerCluster) * SECTOR_BYTES;
}

async function writeDirectories(layout: Fat32Layout, e: Emitter): Promise<void> {
  const clusterBytes = layout.geometry.clusterSizeBytes;
  for (const dir of layout.directories) {
    await e.zerosTo(clusterOffset(layout, dir.firstClusterIndex));
    await e.write(dir.entries);
    await e.zerosTo(clusterOffset(layout, dir.firstClusterIndex) + dir.clusterCount * clusterBytes);
  }
}

async function writeFiles(layout: Fat32Layout, e: Emitter, signal: AbortSignal | undefined): Promise<void> {
  const clusterBytes = layout.geometry.clusterSizeBytes;
  const readAhead = new ReadAhead(layout.files.map((f) => f.content));
  for (const [index, file] of layout.files.entries()) {
    if (file.clusterCount === 0) continue;
    readAhead.at(index);
    const start = clusterOffset(layout, file.firstClusterIndex);
    await e.zerosTo(start);
    for await (const chunk of checkedStream(file.content, file.path.join('/'), signal)) await e.write(chunk);
    // Cluster slack is zeroed so the same tree always gives the same bytes.
    await e.zerosTo(start + file.clusterCount * clusterBytes);
  }
}

/**
 * Plan then emit: every check (file sizes, names, label, volume size) happens in planFat32,
 * before the first byte reaches the sink. Returns the layout that was written.
 */
export async function writeFat32Disk(
  tree: FileTree,
  fatOptions: Fat32Options,
  sink: ByteSink,
  options: EmitFat32Options = {},
): Promise<Fat32Layout> {
  const layout = planFat32(tree, fatOptions);
  await emitFat32Disk(layout, sink, options);
  return layout;
}
