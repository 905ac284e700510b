// readUdf: a read-only UDF 1.02 reader (OSTA UDF 1.02 over ECMA-167 3rd edition) for the media
// Windows tools make: oscdimg -u1 (ISO 9660 + UDF bridge), -u2 (UDF only, with an ISO 9660
// readme stub), ConfigMgr's CreateMedia /T:UDF. Path: Volume Recognition Sequence (2/9) -> Anchor
// at sector 256 (3/10.2) -> Volume Descriptor Sequence (Primary, Partition, Logical Volume,
// Terminating; 3/10) -> File Set Descriptor (4/14.1) -> root File Entry (4/14.9) -> File
// Identifier Descriptors (4/14.4) -> File Entries and their extents.
//
// Scope: 2048-byte logical blocks, type 1 partition maps, ICB strategy 4, short/long/embedded
// allocation descriptors with continuation extents. Anything else (virtual, sparable or metadata
// partitions of UDF 2.x, extended_ad) is refused with MediaInvalid naming it, never misread.
// The first descriptor of each kind in the main sequence is used (read-only discs have one).
//
// Hostile input: every read is bounded by the image size, every tag checked (tag.ts), directory
// sizes, depth, entry counts and allocation descriptor chains are capped, and every file entry
// block is visited once (a directory cycle is an error, not a hang).

import { open, type FileHandle } from 'node:fs/promises';
import { CaptureMediaError, InvalidFormatError, throwIfAborted } from '../errors.js';
import { BoundedReader } from '../io/bounded-reader.js';
import {
  EXTENT_CONTINUATION,
  EXTENT_RECORDED,
  LONG_AD_SIZE,
  parseLongAd,
  parseShortAd,
  SHORT_AD_SIZE,
  type AllocationDescriptor,
} from './allocation-descriptor.js';
import { ANCHOR_SECTOR, parseAnchor } from './anchor.js';
import { AD_EMBEDDED, AD_LONG, AD_SHORT, FILE_TYPE_DIRECTORY, parseFileEntry, type FileEntry } from './file-entry.js';
import { FID_DELETED, FID_DIRECTORY, FID_HIDDEN, FID_PARENT, parseFileIdentifier } from './file-identifier.js';
import { parseFileSetDescriptor } from './file-set-descriptor.js';
import { parseLogicalVolumeDescriptor, PARTITION_MAP_TYPE_1, type LogicalVolumeDescriptor } from './logical-volume-descriptor.js';
import { parsePartitionDescriptor, type PartitionDescriptor } from './partition-descriptor.js';
import { parseUdfPrimaryVolumeDescriptor } from './primary-volume-descriptor.js';
import {
  parseDescriptorTag,
  readCheckedTag,
  TAG_ALLOCATION_EXTENT,
  TAG_EXTENDED_FILE_ENTRY,
  TAG_FILE_ENTRY,
  TAG_FILE_IDENTIFIER,
  TAG_FILE_SET,
  TAG_LOGICAL_VOLUME,
  TAG_PARTITION,
  TAG_PRIMARY_VOLUME,
  TAG_TERMINATING,
  TAG_VOLUME_POINTER,
} from './tag.js';
import { announcesUdf, parseVrsIdentifier, VRS_FIRST_SECTOR, VRS_MAX_SECTORS, type VrsIdentifier } from './volume-recognition.js';

export const UDF_SECTOR_BYTES = 2048;
const MAX_SEQUENCE_SECTORS = 256;
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
const MAX_AD_EXTENTS = 65_536;
const READ_CHUNK_BYTES = 1024 * 1024;

/** A run of a file's bytes: on the disc at `offsetBytes`, or zeros (unrecorded extents). */
export interface UdfExtent {
  readonly offsetBytes: number | undefined;
  readonly lengthBytes: number;
}

export interface UdfFile {
  readonly path: readonly string[];
  readonly sizeBytes: number;
  readonly modified: Date;
  readonly hidden: boolean;
  /** Bytes held inside the file entry itself (ICB flags 3), else undefined. */
  readonly embedded: Uint8Array | undefined;
  readonly extents: readonly UdfExtent[];
}

export interface UdfVolume {
  readonly path: string;
  /** Primary Volume Descriptor volume identifier: the label Windows shows. */
  readonly volumeLabel: string;
  readonly logicalVolumeIdentifier: string;
  readonly files: readonly UdfFile[];
  readonly directories: readonly (readonly string[])[];
  openFile(file: UdfFile, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

export interface ReadUdfOptions {
  readonly maxDepth?: number;
  readonly maxEntries?: number;
}

/** True when the image announces UDF in its Volume Recognition Sequence. */
export async function hasUdf(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const ids: VrsIdentifier[] = [];
    const sector = new Uint8Array(UDF_SECTOR_BYTES);
    for (let i = 0; i < VRS_MAX_SECTORS; i++) {
      const { bytesRead } = await handle.read(sector, 0, UDF_SECTOR_BYTES, (VRS_FIRST_SECTOR + i) * UDF_SECTOR_BYTES);
      if (bytesRead < UDF_SECTOR_BYTES) break;
      const id = parseVrsIdentifier(sector);
      if (id === undefined) break;
      ids.push(id);
      if (id === 'TEA01') break;
    }
    return announcesUdf(ids);
  } finally {
    await handle.close();
  }
}

export async function readUdf(path: string, options: ReadUdfOptions = {}): Promise<UdfVolume> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new CaptureMediaError('MediaInvalid', `Cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`, { target: path, cause: error });
  });
  try {
    const { size } = await handle.stat();
    return await new UdfParser(handle, size, path, options).parse();
  } finally {
    await handle.close();
  }
}

interface Partition {
  readonly descriptor: PartitionDescriptor;
}

class UdfParser {
  private entries = 0;
  private readonly visited = new Set<number>();
  private lvd!: LogicalVolumeDescriptor;
  private partitions: Partition[] = [];

  // Every read of the image goes through here, bounded by its size (io/bounded-reader.ts).
  private readonly bounded: BoundedReader;

  constructor(
    handle: FileHandle,
    private readonly size: number,
    private readonly name: string,
    private readonly options: ReadUdfOptions,
  ) {
    this.bounded = new BoundedReader(handle, size, name);
  }

  read(offset: number, length: number, structure: string): Promise<Uint8Array> {
    return this.bounded.read(offset, length, structure);
  }

  async parse(): Promise<UdfVolume> {
    const anchorSector = await this.read(ANCHOR_SECTOR * UDF_SECTOR_BYTES, UDF_SECTOR_BYTES, 'UDF anchor volume descriptor pointer');
    const anchor = parseAnchor(anchorSector, ANCHOR_SECTOR, ANCHOR_SECTOR * UDF_SECTOR_BYTES);
    const sequence = anchor.mainSequence;
    const sectors = Math.min(Math.floor(sequence.lengthBytes / UDF_SECTOR_BYTES), MAX_SEQUENCE_SECTORS);
    let volumeLabel: string | undefined;
    let lvd: LogicalVolumeDescriptor | undefined;
    for (let i = 0; i < sectors; i++) {
      const lba = sequence.location + i;
      const where = lba * UDF_SECTOR_BYTES;
      const sector = await this.read(where, UDF_SECTOR_BYTES, 'UDF volume descriptor');
      const identifier = parseDescriptorTag(sector, 0).identifier;
      if (identifier === TAG_TERMINATING || identifier === 0) break;
      if (identifier === TAG_VOLUME_POINTER) {
        throw new InvalidFormatError('MediaInvalid', 'UDF volume descriptor', where, 'the sequence continues elsewhere (a volume descriptor pointer), which read-only discs do not use');
      }
      readCheckedTag(sector, 0, [identifier], lba, where);
      if (identifier === TAG_PRIMARY_VOLUME && volumeLabel === undefined) volumeLabel = parseUdfPrimaryVolumeDescriptor(sector, where).volumeIdentifier;
      else if (identifier === TAG_PARTITION) this.partitions.push({ descriptor: parsePartitionDescriptor(sector) });
      else if (identifier === TAG_LOGICAL_VOLUME && lvd === undefined) lvd = parseLogicalVolumeDescriptor(sector, where);
    }
    if (lvd === undefined) throw new InvalidFormatError('MediaInvalid', 'UDF volume descriptor sequence', sequence.location * UDF_SECTOR_BYTES, 'no logical volume descriptor');
    if (lvd.logicalBlockSize !== UDF_SECTOR_BYTES) {
      throw new InvalidFormatError('MediaInvalid', 'UDF logical volume descriptor', sequence.location * UDF_SECTOR_BYTES, `logical blocks of ${lvd.logicalBlockSize} bytes; only ${UDF_SECTOR_BYTES} is supported`);
    }
    for (const map of lvd.partitionMaps) {
      if (map.type !== PARTITION_MAP_TYPE_1) {
        throw new CaptureMediaError('MediaInvalid', `${this.name}: its UDF volume uses a type ${map.type} partition map (virtual, sparable or metadata partition, UDF 2.x); this reader reads UDF 1.02 discs.`, { target: this.name });
      }
    }
    this.lvd = lvd;

    const fsdAddress = lvd.fileSetLocation;
    const fsdBlock = await this.readBlock(fsdAddress.partitionRef ?? 0, fsdAddress.block, 'UDF file set descriptor');
    readCheckedTag(fsdBlock, 0, [TAG_FILE_SET], fsdAddress.block, this.blockOffset(fsdAddress.partitionRef ?? 0, fsdAddress.block));
    const fsd = parseFileSetDescriptor(fsdBlock, this.blockOffset(fsdAddress.partitionRef ?? 0, fsdAddress.block));

    const files: UdfFile[] = [];
    const directories: string[][] = [];
    const maxDepth = this.options.maxDepth ?? 64;
    const queue: { icb: AllocationDescriptor; path: string[] }[] = [{ icb: fsd.rootIcb, path: [] }];
    for (let q = 0; q < queue.length; q++) {
      const { icb, path } = queue[q]!;
      if (path.length > maxDepth) throw new CaptureMediaError('MediaInvalid', `${this.name}: UDF directories nest deeper than ${maxDepth} at ${path.join('/')}`, { target: this.name });
      const dir = await this.fileEntry(icb, path);
      if (dir.entry.fileType !== FILE_TYPE_DIRECTORY) {
        throw new InvalidFormatError('MediaInvalid', 'UDF file entry', dir.where, `${path.join('/') || '/'} is named as a directory but its entry is of type ${dir.entry.fileType}`);
      }
      if (dir.entry.informationLength > MAX_DIRECTORY_BYTES) throw new InvalidFormatError('MediaInvalid', 'UDF directory', dir.where, `a directory of ${dir.entry.informationLength} bytes`);
      const data = await this.readAll(dir.file);
      const seen = new Set<string>();
      for (let at = 0; at < data.length; ) {
        const fid = parseFileIdentifier(data, at, dir.where);
        readCheckedTag(data, at, [TAG_FILE_IDENTIFIER], undefined, dir.where + at);
        at += fid.size;
        if ((fid.characteristics & (FID_PARENT | FID_DELETED)) !== 0) continue;
        if (++this.entries > (this.options.maxEntries ?? 1_000_000)) throw new CaptureMediaError('MediaInvalid', `${this.name}: more than ${this.options.maxEntries ?? 1_000_000} UDF entries`, { target: this.name });
        const name = fid.name;
        if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0')) {
          throw new InvalidFormatError('MediaInvalid', 'UDF file identifier', dir.where, `unsafe name "${name}" in ${path.join('/') || '/'}`);
        }
        const lower = name.toLowerCase();
        if (seen.has(lower)) throw new CaptureMediaError('MediaInvalid', `${this.name}: ${[...path, name].join('/')} appears twice in its UDF directory`, { target: this.name });
        seen.add(lower);
        const childPath = [...path, name];
        if ((fid.characteristics & FID_DIRECTORY) !== 0) {
          directories.push(childPath);
          queue.push({ icb: withPartition(fid.icb, icb.partitionRef), path: childPath });
          continue;
        }
        const child = await this.fileEntry(withPartition(fid.icb, icb.partitionRef), childPath);
        files.push({ ...child.file, hidden: (fid.characteristics & FID_HIDDEN) !== 0 });
      }
    }
    const name = this.name;
    const size = this.size;
    return {
      path: name,
      volumeLabel: volumeLabel ?? lvd.identifier,
      logicalVolumeIdentifier: lvd.identifier,
      files,
      directories,
      openFile: (file, signal) => streamUdfFile(name, size, file, signal),
    };
  }

  private partitionStart(ref: number): number {
    const map = this.lvd.partitionMaps[ref];
    if (map === undefined) throw new CaptureMediaError('MediaInvalid', `${this.name}: UDF partition reference ${ref} has no partition map`, { target: this.name });
    const partition = this.partitions.find((p) => p.descriptor.partitionNumber === map.partitionNumber);
    if (partition === undefined) throw new CaptureMediaError('MediaInvalid', `${this.name}: no UDF partition descriptor for partition ${map.partitionNumber}`, { target: this.name });
    return partition.descriptor.startSector;
  }

  private blockOffset(ref: number, block: number): number {
    return (this.partitionStart(ref) + block) * UDF_SECTOR_BYTES;
  }

  private async readBlock(ref: number, block: number, structure: string): Promise<Uint8Array> {
    return this.read(this.blockOffset(ref, block), UDF_SECTOR_BYTES, structure);
  }

  /** Read a file entry and resolve its allocation descriptors into extents. */
  private async fileEntry(icb: AllocationDescriptor, path: readonly string[]): Promise<{ entry: FileEntry; file: Omit<UdfFile, 'hidden'> & { hidden: false }; where: number }> {
    const ref = icb.partitionRef ?? 0;
    const where = this.blockOffset(ref, icb.block);
    if (this.visited.has(where)) throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where, `${path.join('/') || '/'} points to an entry already read (a cycle or a hard link)`);
    this.visited.add(where);
    const block = await this.read(where, UDF_SECTOR_BYTES, 'UDF file entry');
    const tag = readCheckedTag(block, 0, [TAG_FILE_ENTRY, TAG_EXTENDED_FILE_ENTRY], icb.block, where);
    const entry = parseFileEntry(block, tag, where);
    const base = { path, sizeBytes: entry.informationLength, modified: entry.modified, hidden: false as const };
    if (entry.adType === AD_EMBEDDED) {
      if (entry.informationLength > entry.adLength) throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where, 'embedded data shorter than the file');
      return { entry, where, file: { ...base, embedded: block.slice(entry.adOffset, entry.adOffset + entry.informationLength), extents: [] } };
    }
    if (entry.adType !== AD_SHORT && entry.adType !== AD_LONG) {
      throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where, `allocation descriptor type ${entry.adType} (extended_ad) is not used by UDF 1.02`);
    }
    const extents = await this.extents(block.subarray(entry.adOffset, entry.adOffset + entry.adLength), entry.adType, ref, where);
    let remaining = entry.informationLength;
    const clipped: UdfExtent[] = [];
    for (const e of extents) {
      if (remaining === 0) break;
      const length = Math.min(e.lengthBytes, remaining);
      clipped.push({ offsetBytes: e.offsetBytes, lengthBytes: length });
      remaining -= length;
    }
    if (remaining > 0) throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where, `${path.join('/')}: extents hold ${entry.informationLength - remaining} of its ${entry.informationLength} bytes`);
    for (const e of clipped) {
      if (e.offsetBytes !== undefined && e.offsetBytes + e.lengthBytes > this.size) {
        throw new InvalidFormatError('MediaInvalid', 'UDF allocation descriptor', where, `${path.join('/')} extends past the end of the image`);
      }
    }
    return { entry, where, file: { ...base, embedded: undefined, extents: clipped } };
  }

  private async extents(ads: Uint8Array, adType: number, ref: number, where: number): Promise<UdfExtent[]> {
    const out: UdfExtent[] = [];
    const adSize = adType === AD_SHORT ? SHORT_AD_SIZE : LONG_AD_SIZE;
    let area = ads;
    for (let guard = 0; ; guard++) {
      let next: AllocationDescriptor | undefined;
      for (let at = 0; at + adSize <= area.length; at += adSize) {
        const ad = adType === AD_SHORT ? parseShortAd(area, at) : parseLongAd(area, at);
        if (ad.lengthBytes === 0) break;
        if (ad.type === EXTENT_CONTINUATION) {
          next = ad;
          break;
        }
        if (out.length >= MAX_AD_EXTENTS) throw new InvalidFormatError('MediaInvalid', 'UDF allocation descriptor', where, `more than ${MAX_AD_EXTENTS} extents`);
        const part = ad.partitionRef ?? ref;
        out.push({ offsetBytes: ad.type === EXTENT_RECORDED ? this.blockOffset(part, ad.block) : undefined, lengthBytes: ad.lengthBytes });
      }
      if (next === undefined) return out;
      if (guard > 1024) throw new InvalidFormatError('MediaInvalid', 'UDF allocation extent', where, 'too many continuation extents');
      const part = next.partitionRef ?? ref;
      const block = await this.readBlock(part, next.block, 'UDF allocation extent descriptor');
      readCheckedTag(block, 0, [TAG_ALLOCATION_EXTENT], next.block, this.blockOffset(part, next.block));
      // 4/14.5: +0x14 length of allocation descriptors, which start at +0x18.
      const length = Buffer.from(block.buffer, block.byteOffset, 0x18).readUInt32LE(0x14);
      if (0x18 + length > block.length) throw new InvalidFormatError('MediaInvalid', 'UDF allocation extent', this.blockOffset(part, next.block), 'descriptors run past the block');
      area = block.subarray(0x18, 0x18 + length);
    }
  }

  private async readAll(file: Omit<UdfFile, 'hidden'>): Promise<Uint8Array> {
    if (file.embedded) return file.embedded;
    const out = new Uint8Array(file.sizeBytes);
    let at = 0;
    for (const e of file.extents) {
      if (e.offsetBytes !== undefined) out.set(await this.read(e.offsetBytes, e.lengthBytes, 'UDF directory data'), at);
      at += e.lengthBytes;
    }
    return out;
  }
}

function withPartition(ad: AllocationDescriptor, fallback: number | undefined): AllocationDescriptor {
  return ad.partitionRef === undefined ? { ...ad, partitionRef: fallback ?? 0 } : ad;
}

async function* streamUdfFile(path: string, imageBytes: number, file: UdfFile, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (file.embedded) {
    yield file.embedded;
    return;
  }
  if (file.sizeBytes === 0) return;
  const handle = await open(path, 'r');
  try {
    for (const extent of file.extents) {
      for (let done = 0; done < extent.lengthBytes; ) {
        throwIfAborted(signal);
        const length = Math.min(READ_CHUNK_BYTES, extent.lengthBytes - done);
        const chunk = new Uint8Array(length);
        if (extent.offsetBytes !== undefined) {
          const offset = extent.offsetBytes + done;
          if (offset + length > imageBytes) throw new InvalidFormatError('MediaInvalid', 'UDF file extent', offset, `${path} ended early`);
          let got = 0;
          while (got < length) {
            const { bytesRead } = await handle.read(chunk, got, length - got, offset + got);
            if (bytesRead === 0) throw new InvalidFormatError('MediaInvalid', 'UDF file extent', offset + got, `${path} ended early`);
            got += bytesRead;
          }
        }
        done += length;
        yield chunk;
      }
    }
  } finally {
    await handle.close();
  }
}
