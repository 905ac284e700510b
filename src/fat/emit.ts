// emitFat32Volume: write a planned FAT32 volume to a sink in one pass, ascending offsets from the
// volume's first byte (the files after the largest one, but the last, in a side lane at the same
// time when the sink can fork: io/side-lane.ts):
//
//   reserved: boot sector, FSInfo, zeros, backup boot (6), backup FSInfo (7), zeros to 32
//   FAT #1, FAT #2                                           (generated in 1 MiB chunks)
//   data: directories (root first), then every file's bytes streamed once, padded to its clusters
//   free clusters and the sectors after the last whole cluster (skipped when the sink can skip)
//
// Free clusters may be skipped: a FAT32 driver never reads a cluster the FAT says is free. What
// surrounds the volume on a disk (the MBR, the gap before the partition, sector 0 written last) is
// partition/fat32-disk.ts's business.

import { throwIfAborted } from '../errors.js';
import { checkedStream } from '../io/content.js';
import { ReadAhead } from '../io/read-ahead.js';
import { sideLaneSplit, withSideLane } from '../io/side-lane.js';
import { writeZeros, type ByteSink } from '../io/sink.js';
import { encodeFat32BootSector } from './boot-sector.js';
import { fatTableChunks } from './fat-table.js';
import { encodeFsInfo } from './fsinfo.js';
import { SECTOR_BYTES } from './geometry.js';
import type { Fat32VolumeLayout } from './plan.js';

export interface EmitFat32VolumeOptions {
  readonly signal?: AbortSignal;
  /** Called with every advance of the sink's position (written or skipped); totals volumeSizeBytes. */
  readonly onBytes?: (count: number) => void;
  /**
   * Emit the boot sector (the volume's first sector) as zeros: a caller that writes a bare volume
   * as a whole disk writes it last itself, so nothing recognises a half-written volume.
   */
  readonly bootSectorAsZeros?: boolean;
}

class Emitter {
  constructor(
    readonly sink: ByteSink,
    /** The sink's position when the emit began: the volume's byte 0. */
    readonly base: number,
    private readonly options: EmitFat32VolumeOptions,
  ) {}

  get canFork(): boolean {
    return this.sink.fork !== undefined;
  }

  /** The same emit, on another sink (a lane's) and stopped by another signal. */
  on(sink: ByteSink, signal: AbortSignal): Emitter {
    return new Emitter(sink, this.base, { ...this.options, signal });
  }

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
 * Write the volume of `layout` to `sink`, which must be positioned at the volume's first byte.
 * Each file's ContentSource is streamed exactly once.
 */
export async function emitFat32Volume(layout: Fat32VolumeLayout, sink: ByteSink, options: EmitFat32VolumeOptions = {}): Promise<void> {
  const e = new Emitter(sink, sink.position, options);
  await writeReservedRegion(layout, e, options.bootSectorAsZeros === true);
  await writeFats(layout, e);
  await writeDirectories(layout, e);
  await writeFiles(layout, e, options.signal);
  // Free clusters and the sectors after the last whole cluster.
  await e.skip(layout.volumeSizeBytes - e.offset);
  if (e.offset !== layout.volumeSizeBytes) throw new Error(`FAT32 emit ended at ${e.offset}, not ${layout.volumeSizeBytes}`);
}

/** Sectors 0..31 of the volume: §3 boot sector, §5 FSInfo, and their backups at 6 and 7. */
async function writeReservedRegion(layout: Fat32VolumeLayout, e: Emitter, bootSectorAsZeros: boolean): Promise<void> {
  const boot = encodeFat32BootSector(layout.bootSector);
  const fsInfo = encodeFsInfo(layout.fsInfo);
  const bs = layout.bootSector;
  await e.write(bootSectorAsZeros ? new Uint8Array(SECTOR_BYTES) : boot);
  await e.zerosTo(bs.fsInfoSector * SECTOR_BYTES);
  await e.write(fsInfo);
  await e.zerosTo(bs.backupBootSector * SECTOR_BYTES);
  await e.write(boot);
  await e.write(fsInfo); // backup FSInfo follows the backup boot sector (sector 7)
  await e.zerosTo(bs.reservedSectorCount * SECTOR_BYTES);
}

async function writeFats(layout: Fat32VolumeLayout, e: Emitter): Promise<void> {
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

function clusterOffset(layout: Fat32VolumeLayout, clusterIndex: number): number {
  const g = layout.geometry;
  return (g.dataStartSector + (clusterIndex - 2) * g.sectorsPerCluster) * SECTOR_BYTES;
}

async function writeDirectories(layout: Fat32VolumeLayout, e: Emitter): Promise<void> {
  const clusterBytes = layout.geometry.clusterSizeBytes;
  for (const dir of layout.directories) {
    await e.zerosTo(clusterOffset(layout, dir.firstClusterIndex));
    await e.write(dir.entries);
    await e.zerosTo(clusterOffset(layout, dir.firstClusterIndex) + dir.clusterCount * clusterBytes);
  }
}

async function writeFiles(layout: Fat32VolumeLayout, e: Emitter, signal: AbortSignal | undefined): Promise<void> {
  const files = layout.files.filter((f) => f.clusterCount > 0);
  const split = e.canFork ? sideLaneSplit(files.map((f) => f.sizeBytes)) : undefined;
  if (split === undefined) {
    await writeFileRun(layout, files, e, signal);
    return;
  }
  // The large file in the main lane, the files after it (but the last, the manifest, which needs
  // every other file's hash) in a side lane at the same time; then the last.
  const sideStart = clusterOffset(layout, files[split.large + 1]!.firstClusterIndex);
  const tailStart = clusterOffset(layout, files[split.last]!.firstClusterIndex);
  await withSideLane(
    e.sink,
    e.base + sideStart,
    {
      main: (laneSignal) => writeFileRun(layout, files.slice(0, split.large + 1), e.on(e.sink, laneSignal), laneSignal, sideStart),
      side: (fork, laneSignal) => writeFileRun(layout, files.slice(split.large + 1, split.last), e.on(fork, laneSignal), laneSignal, tailStart),
    },
    signal,
  );
  await writeFileRun(layout, files.slice(split.last), e, signal);
}

/** Files in cluster order, each padded to its clusters; then zeros up to `endOffset` when given. */
async function writeFileRun(layout: Fat32VolumeLayout, files: readonly Fat32VolumeLayout['files'][number][], e: Emitter, signal: AbortSignal | undefined, endOffset?: number): Promise<void> {
  const clusterBytes = layout.geometry.clusterSizeBytes;
  const readAhead = new ReadAhead(files.map((f) => f.content));
  for (const [index, file] of files.entries()) {
    readAhead.at(index);
    const start = clusterOffset(layout, file.firstClusterIndex);
    await e.zerosTo(start);
    for await (const chunk of checkedStream(file.content, file.path.join('/'), signal)) await e.write(chunk);
    // Cluster slack is zeroed so the same tree always gives the same bytes.
    await e.zerosTo(start + file.clusterCount * clusterBytes);
  }
  if (endOffset !== undefined) await e.zerosTo(endOffset);
}
