// A read-only FAT32 reader for verification: open the volume at a given offset (the composer in
// partition/fat32-disk.ts finds it behind an MBR), list every file with its long name, and stream a file's bytes by following its
// cluster chain. Microsoft FAT specification §3 (BPB), §4 (FAT, chains, EOC), §6 (directories),
// §7 (long names: a set whose ordinals or checksum do not match is ignored, as Windows does).
//
// Hostile input: every structure is validated before use (parseFat32BootSector rejects
// impossible geometry), cluster numbers are range-checked, and one bitmap marks every cluster
// reached through any chain, so a loop or two chains sharing a cluster is reported as MediaInvalid
// instead of hanging; total work is bounded by the volume's cluster count. Directories nest at
// most `maxDepth` deep.

import { open } from 'node:fs/promises';
import type { PositionalReadHandle, StreamingReader } from '../io/positional.js';
import { CaptureMediaError, InvalidFormatError, throwIfAborted } from '../errors.js';
import { NO_NAME_LABEL, parseFat32BootSector, type Fat32BootSector } from './boot-sector.js';
import {
  ATTR_DIRECTORY,
  ATTR_LONG_NAME,
  ATTR_VOLUME_ID,
  DIRECTORY_ENTRY_SIZE,
  ENTRY_END,
  ENTRY_FREE,
  fromFatTimestamp,
  parseDirectoryEntry,
  shortNameToString,
} from './directory-entry.js';
import { FAT32_BAD_CLUSTER, FAT32_ENTRY_MASK, FAT32_EOC_MIN } from './fat-table.js';
import { assembleLongName, LAST_LONG_ENTRY, parseLongNameEntry, type LongNameEntry } from './long-name.js';

/** §6: a directory holds at most 65,536 entries (2 MiB). */
const MAX_DIRECTORY_BYTES = 65536 * DIRECTORY_ENTRY_SIZE;
const DEFAULT_MAX_DEPTH = 64;
const FAT_BLOCK_BYTES = 64 * 1024;
const FAT_CACHE_BLOCKS = 256; // 16 MiB at most
const READ_BYTES = 1024 * 1024;

export interface Fat32FileInfo {
  /** Long names from the root. */
  readonly path: readonly string[];
  readonly sizeBytes: number;
  readonly firstClusterIndex: number;
  readonly attributes: number;
  readonly modified: Date;
}

export interface Fat32DirectoryInfo {
  readonly path: readonly string[];
  readonly firstClusterIndex: number;
}

export interface Fat32Volume {
  readonly partitionOffsetBytes: number;
  readonly bootSector: Fat32BootSector;
  /** The label Windows shows: the root's volume label entry, else BS_VolLab; '' for none. */
  readonly label: string;
  /** BS_VolLab, trailing spaces removed. */
  readonly bootSectorLabel: string;
  /** The root directory's ATTR_VOLUME_ID entry, trailing spaces removed; undefined when absent. */
  readonly rootLabel: string | undefined;
  readonly clusterSizeBytes: number;
  readonly clusterCount: number;
  /** Files in directory order (depth-first). */
  readonly files: readonly Fat32FileInfo[];
  /** Directories below the root, in directory order. */
  readonly directories: readonly Fat32DirectoryInfo[];
  /** Stream a file's bytes (exactly sizeBytes of them). */
  openFile(file: Fat32FileInfo, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Close the file handle if readFat32 opened it. */
  close(): Promise<void>;
}

export interface ReadFat32Options {
  readonly signal?: AbortSignal;
  readonly maxDepth?: number;
  /**
   * Stream file contents through this reader (verify's O_DIRECT reader, with its reads in
   * flight ahead of the hashing) instead of one read at a time through the handle.
   */
  readonly streamer?: StreamingReader;
}

interface Run {
  readonly firstClusterIndex: number;
  readonly clusterCount: number;
}

function invalid(structure: string, offset: number, message: string): InvalidFormatError {
  return new InvalidFormatError('MediaInvalid', structure, offset, message);
}

class Volume {
  readonly fatCache = new Map<number, Uint8Array>();
  /** One bit per cluster: reached by some chain already. */
  readonly seen: Uint8Array;
  readonly clusterBytes: number;
  readonly dataStart: number;
  readonly fatStart: number;
  readonly clusterCount: number;

  constructor(
    readonly handle: PositionalReadHandle,
    readonly base: number,
    readonly bs: Fat32BootSector,
  ) {
    this.clusterBytes = bs.bytesPerSector * bs.sectorsPerCluster;
    this.fatStart = base + bs.reservedSectorCount * bs.bytesPerSector;
    this.dataStart = this.fatStart + bs.fatCount * bs.fatSectorCount * bs.bytesPerSector;
    this.clusterCount = Math.floor((bs.totalSectorCount - (this.dataStart - base) / bs.bytesPerSector) / bs.sectorsPerCluster);
    this.seen = new Uint8Array(Math.ceil((this.clusterCount + 2) / 8));
  }

  async readExactly(position: number, length: number, structure: string): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) throw invalid(structure, position + done, 'the medium ends here (truncated)');
      done += bytesRead;
    }
    return buffer;
  }

  async fatEntry(clusterIndex: number): Promise<number> {
    const byteOffset = clusterIndex * 4;
    const block = Math.floor(byteOffset / FAT_BLOCK_BYTES);
    let bytes = this.fatCache.get(block);
    if (!bytes) {
      const fatBytes = this.bs.fatSectorCount * this.bs.bytesPerSector;
      const length = Math.min(FAT_BLOCK_BYTES, fatBytes - block * FAT_BLOCK_BYTES);
      bytes = await this.readExactly(this.fatStart + block * FAT_BLOCK_BYTES, length, 'FAT');
      if (this.fatCache.size >= FAT_CACHE_BLOCKS) this.fatCache.clear();
      this.fatCache.set(block, bytes);
    }
    const at = byteOffset - block * FAT_BLOCK_BYTES;
    return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) & FAT32_ENTRY_MASK;
  }

  clusterOffset(clusterIndex: number): number {
    return this.dataStart + (clusterIndex - 2) * this.clusterBytes;
  }

  /**
   * Follow a chain from `first`, marking each cluster seen; at most `maxClusters` clusters. A
   * cluster out of range, a bad/free/reserved link, a cluster already seen (loop or cross-link)
   * or a chain longer than the cap is MediaInvalid.
   */
  async chain(first: number, maxClusters: number, what: string): Promise<Run[]> {
    const runs: Run[] = [];
    let cluster = first;
    let total = 0;
    let runStart = first;
    let runLength = 0;
    for (;;) {
      if (cluster < 2 || cluster >= this.clusterCount + 2) {
        throw invalid('FAT', this.fatStart + cluster * 4, `${what}: cluster ${cluster} is outside the volume`);
      }
      const bit = 1 << (cluster & 7);
      if (this.seen[cluster >> 3]! & bit) {
        throw invalid('FAT', this.fatStart + cluster * 4, `${what}: cluster ${cluster} is reached twice (a loop or a cross-linked chain)`);
      }
      this.seen[cluster >> 3]! |= bit;
      total++;
      if (total > maxClusters) throw invalid('FAT', this.fatStart + cluster * 4, `${what}: the chain is longer than ${maxClusters} clusters`);
      if (runLength > 0 && cluster === runStart + runLength) runLength++;
      else {
        if (runLength > 0) runs.push({ firstClusterIndex: runStart, clusterCount: runLength });
        runStart = cluster;
        runLength = 1;
      }
      const next = await this.fatEntry(cluster);
      if (next >= FAT32_EOC_MIN) break;
      if (next === FAT32_BAD_CLUSTER || next < 2) {
        throw invalid('FAT', this.fatStart + cluster * 4, `${what}: cluster ${cluster} links to 0x${next.toString(16)}`);
      }
      cluster = next;
    }
    runs.push({ firstClusterIndex: runStart, clusterCount: runLength });
    return runs;
  }

  async readRuns(runs: readonly Run[], what: string): Promise<Uint8Array> {
    const total = runs.reduce((n, r) => n + r.clusterCount, 0) * this.clusterBytes;
    const out = new Uint8Array(total);
    let at = 0;
    for (const run of runs) {
      const bytes = await this.readExactly(this.clusterOffset(run.firstClusterIndex), run.clusterCount * this.clusterBytes, what);
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }
}

function nameProblem(name: string): boolean {
  return name === '.' || name === '..' || /[\\/\u0000]/.test(name);
}

/**
 * Open the FAT32 volume that starts `partitionOffsetBytes` into an image file, device or open
 * handle (0: a bare volume). partition/fat32-disk.ts finds the offset behind an MBR.
 */
export async function readFat32(
  source: string | PositionalReadHandle,
  partitionOffsetBytes = 0,
  options: ReadFat32Options = {},
): Promise<Fat32Volume> {
  const owned = typeof source === 'string';
  const handle = owned ? await open(source, 'r') : source;
  try {
    return await readOpened(handle, owned, partitionOffsetBytes, options);
  } catch (error: unknown) {
    if (owned) await handle.close().catch(() => undefined);
    throw error;
  }
}

async function readOpened(
  handle: PositionalReadHandle,
  owned: boolean,
  partitionOffsetBytes: number,
  options: ReadFat32Options,
): Promise<Fat32Volume> {
  const stats = await handle.stat();
  const sizeBytes = stats.isFile() ? stats.size : undefined;
  const base = partitionOffsetBytes;
  const sector = new Uint8Array(512);
  const { bytesRead } = await handle.read(sector, 0, 512, base);
  if (bytesRead < 512) throw invalid('FAT32 boot sector', base, 'the medium ends before the volume');
  const bs = parseFat32BootSector(sector, 0);
  if (bs.bytesPerSector !== 512) throw invalid('FAT32 boot sector', base + 0x0b, 'only 512-byte sectors are supported');
  if (sizeBytes !== undefined && base + bs.totalSectorCount * bs.bytesPerSector > sizeBytes) {
    throw invalid('FAT32 boot sector', base + 0x20, `the volume (${bs.totalSectorCount} sectors) extends past the end of the medium`);
  }
  const vol = new Volume(handle, base, bs);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const files: Fat32FileInfo[] = [];
  const directories: Fat32DirectoryInfo[] = [];
  const fileRuns = new Map<Fat32FileInfo, Run[]>();
  let rootLabel: string | undefined;

  const walk = async (firstCluster: number, path: readonly string[], depth: number): Promise<void> => {
    throwIfAborted(options.signal);
    if (depth > maxDepth) throw invalid('directory', vol.clusterOffset(firstCluster), `directories nest deeper than ${maxDepth}`);
    const what = `/${path.join('/')}`;
    const runs = await vol.chain(firstCluster, Math.ceil(MAX_DIRECTORY_BYTES / vol.clusterBytes), `directory ${what}`);
    const bytes = await vol.readRuns(runs, `directory ${what}`);
    let pending: LongNameEntry[] = [];
    const names = new Set<string>();
    for (let at = 0; at + DIRECTORY_ENTRY_SIZE <= bytes.length; at += DIRECTORY_ENTRY_SIZE) {
      const first = bytes[at]!;
      if (first === ENTRY_END) break;
      if (first === ENTRY_FREE) {
        pending = [];
        continue;
      }
      const attributes = bytes[at + 0x0b]!;
      if ((attributes & 0x3f) === ATTR_LONG_NAME) {
        const lfn = parseLongNameEntry(bytes, at);
        if (lfn.ordinal & LAST_LONG_ENTRY) pending = [lfn];
        else pending.push(lfn);
        continue;
      }
      const entry = parseDirectoryEntry(bytes, at);
      const lfnSet = pending;
      pending = [];
      if (attributes & ATTR_VOLUME_ID) {
        if (path.length === 0 && rootLabel === undefined) rootLabel = String.fromCharCode(...entry.name).replace(/ +$/, '');
        continue;
      }
      const short = shortNameToString(entry.name, entry.ntReserved);
      if (short === '.' || short === '..') continue;
      const name = assembleLongName(lfnSet, entry.name) ?? short;
      if (nameProblem(name)) throw invalid('directory entry', vol.clusterOffset(firstCluster) + at, `${what}: the name ${JSON.stringify(name)} is not allowed`);
      const key = name.toUpperCase();
      if (names.has(key)) throw invalid('directory entry', vol.clusterOffset(firstCluster) + at, `${what}: ${name} appears twice`);
      names.add(key);
      const childPath = [...path, name];
      if (attributes & ATTR_DIRECTORY) {
        if (entry.firstClusterIndex === 0) throw invalid('directory entry', vol.clusterOffset(firstCluster) + at, `/${childPath.join('/')} has no cluster`);
        directories.push({ path: childPath, firstClusterIndex: entry.firstClusterIndex });
        await walk(entry.firstClusterIndex, childPath, depth + 1);
        continue;
      }
      const info: Fat32FileInfo = {
        path: childPath,
        sizeBytes: entry.sizeBytes,
        firstClusterIndex: entry.firstClusterIndex,
        attributes,
        modified: fromFatTimestamp(entry.writeDate, entry.writeTime),
      };
      const expected = Math.ceil(entry.sizeBytes / vol.clusterBytes);
      if (expected === 0) {
        if (entry.firstClusterIndex !== 0) throw invalid('directory entry', vol.clusterOffset(firstCluster) + at, `/${childPath.join('/')} is empty but has a cluster`);
        fileRuns.set(info, []);
      } else {
        const chain = await vol.chain(entry.firstClusterIndex, expected, `/${childPath.join('/')}`);
        const got = chain.reduce((n, r) => n + r.clusterCount, 0);
        if (got !== expected) {
          throw invalid('FAT', vol.fatStart + entry.firstClusterIndex * 4, `/${childPath.join('/')}: ${got} clusters for ${entry.sizeBytes} bytes`);
        }
        fileRuns.set(info, chain);
      }
      files.push(info);
    }
  };
  await walk(bs.rootClusterIndex, [], 0);

  const bootSectorLabel = bs.volumeLabel === NO_NAME_LABEL ? '' : bs.volumeLabel.replace(/ +$/, '');
  return {
    partitionOffsetBytes: base,
    bootSector: bs,
    label: rootLabel ?? bootSectorLabel,
    bootSectorLabel,
    rootLabel,
    clusterSizeBytes: vol.clusterBytes,
    clusterCount: vol.clusterCount,
    files,
    directories,
    openFile(file: Fat32FileInfo, signal?: AbortSignal): AsyncIterable<Uint8Array> {
      const runs = fileRuns.get(file);
      if (!runs) throw new CaptureMediaError('InvalidParameter', `${file.path.join('/')} is not a file of this volume.`);
      const streamer = options.streamer;
      if (streamer !== undefined) return streamRunsFrom(streamer, vol, runs, file.sizeBytes, signal);
      return streamRuns(vol, runs, file.sizeBytes, file.path.join('/'), signal);
    },
    async close(): Promise<void> {
      if (owned) await handle.close();
    },
  };
}

async function* streamRunsFrom(streamer: StreamingReader, vol: Volume, runs: readonly Run[], sizeBytes: number, signal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  let left = sizeBytes;
  for (const run of runs) {
    const length = Math.min(left, run.clusterCount * vol.clusterBytes);
    yield* streamer.stream(vol.clusterOffset(run.firstClusterIndex), length, signal);
    left -= length;
  }
}

async function* streamRuns(vol: Volume, runs: readonly Run[], sizeBytes: number, name: string, signal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  let left = sizeBytes;
  for (const run of runs) {
    let position = vol.clusterOffset(run.firstClusterIndex);
    let runLeft = Math.min(left, run.clusterCount * vol.clusterBytes);
    while (runLeft > 0) {
      throwIfAborted(signal);
      const length = Math.min(READ_BYTES, runLeft);
      const bytes = await vol.readExactly(position, length, name);
      yield bytes;
      position += length;
      runLeft -= length;
      left -= length;
    }
  }
}
