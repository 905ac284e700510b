// readIso: parse an ISO 9660 image enough to verify it — volume descriptors (ECMA-119 §8), the
// El Torito boot catalog (El Torito §2), and one directory tree, preferring the Joliet tree as
// Windows does (Joliet §2: an SVD whose escape sequences name UCS-2). Used by `capture-media verify`
// to hash every file, so every count, depth and extent is bounded: hostile input raises
// MediaInvalid (InvalidFormatError with the structure and byte offset), never a hang or a huge
// allocation. Directory cycles are caught by remembering every directory extent already visited.

import { open } from 'node:fs/promises';
import { CaptureMediaError, InvalidFormatError, throwIfAborted } from '../errors.js';
import { BoundedReader } from '../io/bounded-reader.js';
import { offsetReaderHandle, type StreamingReader } from '../io/positional.js';
import { FILE_FLAG_DIRECTORY, FILE_FLAG_HIDDEN, FILE_FLAG_MULTI_EXTENT, parseDirectoryExtent, type DirectoryRecord } from './directory-record.js';
import { parseBootCatalog, parseBootRecord } from './el-torito.js';
import { FIRST_VOLUME_DESCRIPTOR_LBA, SECTOR_BYTES, decodeAscii, decodeUcs2 } from './fields.js';
import {
  VD_TYPE_BOOT_RECORD,
  VD_TYPE_PRIMARY,
  VD_TYPE_TERMINATOR,
  isJolietDescriptor,
  parseVolumeDescriptor,
  parseVolumeDescriptorHeader,
  type ParsedVolumeDescriptor,
} from './volume-descriptor.js';

export interface IsoExtent {
  readonly lba: number;
  readonly sizeBytes: number;
}

export interface IsoImageFile {
  readonly path: readonly string[];
  readonly sizeBytes: number;
  /** The first extent's sector (0 for an empty file). */
  readonly lba: number;
  /** More than one for a multi-extent file (ECMA-119 §6.5.1, flag bit 7). */
  readonly extents: readonly IsoExtent[];
  readonly recordedAt: Date;
  readonly hidden: boolean;
}

export interface IsoImageBootEntry {
  readonly platformId: number;
  readonly bootable: boolean;
  /** 0 = no emulation (El Torito §2.2 boot media type). */
  readonly mediaType: number;
  readonly loadSegment: number;
  /** 512-byte virtual sectors loaded at boot. */
  readonly sectorCount: number;
  readonly lba: number;
  /** The file whose extent starts at `lba`, when there is one. */
  readonly path: readonly string[] | undefined;
}

export interface IsoImage {
  readonly path: string;
  readonly sizeBytes: number;
  readonly totalSectors: number;
  /** PVD volume identifier. */
  readonly volumeLabel: string;
  /** Joliet SVD volume identifier, when the image has one. */
  readonly jolietLabel: string | undefined;
  /** Which tree `files` comes from. */
  readonly tree: 'joliet' | 'primary';
  readonly bootCatalog: { readonly lba: number; readonly validationPlatformId: number; readonly entries: readonly IsoImageBootEntry[] } | undefined;
  readonly files: readonly IsoImageFile[];
  readonly directories: readonly (readonly string[])[];
  /** Stream a file's bytes (each call opens the image anew). */
  openFile(file: IsoImageFile, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

export interface ReadIsoOptions {
  /** Deepest directory level accepted (default 64). */
  readonly maxDepth?: number;
  /** Most directory records accepted in the whole tree (default 1,000,000). */
  readonly maxEntries?: number;
  /** Read the primary tree even when a Joliet tree exists. */
  readonly preferPrimary?: boolean;
  /**
   * Read the image through this reader instead of opening `path` (verify passes its O_DIRECT
   * reader, so that the bytes come from the disk, not the page cache). The caller closes it.
   */
  readonly reader?: StreamingReader;
}

/** Volume descriptors scanned before we give up looking for the terminator. */
const MAX_VOLUME_DESCRIPTORS = 64;
/** A single directory extent larger than this is treated as hostile. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;

export async function readIso(path: string, options: ReadIsoOptions = {}): Promise<IsoImage> {
  const through = options.reader;
  if (through !== undefined) {
    const image = await parseImage(new BoundedReader(offsetReaderHandle(through), through.sizeBytes, path), path, through.sizeBytes, options);
    return { ...image, openFile: (file, signal) => streamExtentsFrom(through, path, file, signal) };
  }
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new CaptureMediaError('MediaInvalid', `Cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`, { target: path, cause: error });
  });
  try {
    const { size } = await handle.stat();
    const reader = new BoundedReader(handle, size, path);
    return await parseImage(reader, path, size, options);
  } finally {
    await handle.close();
  }
}

async function parseImage(reader: BoundedReader, path: string, sizeBytes: number, options: ReadIsoOptions): Promise<IsoImage> {
  let pvd: ParsedVolumeDescriptor | undefined;
  let joliet: ParsedVolumeDescriptor | undefined;
  let catalogLba: number | undefined;
  let terminated = false;
  for (let i = 0; i < MAX_VOLUME_DESCRIPTORS; i++) {
    const lba = FIRST_VOLUME_DESCRIPTOR_LBA + i;
    const sector = await reader.read(lba * SECTOR_BYTES, SECTOR_BYTES, 'volume descriptor');
    const type = parseVolumeDescriptorHeader(sector, lba);
    if (type === VD_TYPE_TERMINATOR) {
      terminated = true;
      break;
    }
    if (type === VD_TYPE_PRIMARY && pvd === undefined) pvd = parseVolumeDescriptor(sector, lba);
    else if (isJolietDescriptor(sector) && joliet === undefined) joliet = parseVolumeDescriptor(sector, lba);
    else if (type === VD_TYPE_BOOT_RECORD && catalogLba === undefined) catalogLba = parseBootRecord(sector)?.catalogLba;
  }
  if (!terminated) throw new InvalidFormatError('MediaInvalid', 'volume descriptor set', FIRST_VOLUME_DESCRIPTOR_LBA * SECTOR_BYTES, `no terminator in ${MAX_VOLUME_DESCRIPTORS} descriptors`);
  if (pvd === undefined) throw new InvalidFormatError('MediaInvalid', 'volume descriptor set', FIRST_VOLUME_DESCRIPTOR_LBA * SECTOR_BYTES, 'no primary volume descriptor');

  const useJoliet = joliet !== undefined && options.preferPrimary !== true;
  const descriptor = useJoliet ? joliet! : pvd;
  const walked = await walkTree(reader, descriptor.root, useJoliet, options.maxDepth ?? 64, options.maxEntries ?? 1_000_000);

  let bootCatalog: IsoImage['bootCatalog'];
  if (catalogLba !== undefined) {
    const sector = await reader.read(catalogLba * SECTOR_BYTES, SECTOR_BYTES, 'boot catalog');
    const catalog = parseBootCatalog(sector, catalogLba * SECTOR_BYTES);
    const byLba = new Map<number, IsoImageFile>();
    for (const file of walked.files) if (file.sizeBytes > 0 && !byLba.has(file.lba)) byLba.set(file.lba, file);
    bootCatalog = {
      lba: catalogLba,
      validationPlatformId: catalog.validationPlatformId,
      entries: catalog.entries.map((e) => ({
        platformId: e.platformId,
        bootable: e.bootable,
        mediaType: e.mediaType,
        loadSegment: e.loadSegment,
        sectorCount: e.sectorCount,
        lba: e.loadLba,
        path: byLba.get(e.loadLba)?.path,
      })),
    };
  }

  return {
    path,
    sizeBytes,
    totalSectors: pvd.volumeSpaceSectors,
    volumeLabel: pvd.volumeId,
    jolietLabel: joliet?.volumeId,
    tree: useJoliet ? 'joliet' : 'primary',
    bootCatalog,
    files: walked.files,
    directories: walked.directories,
    openFile: (file, signal) => streamExtents(path, sizeBytes, file, signal),
  };
}

async function walkTree(
  reader: BoundedReader,
  root: DirectoryRecord,
  joliet: boolean,
  maxDepth: number,
  maxEntries: number,
): Promise<{ files: IsoImageFile[]; directories: string[][] }> {
  const files: IsoImageFile[] = [];
  const directories: string[][] = [];
  const visited = new Set<number>();
  let entries = 0;
  // Breadth-first with an explicit queue: no recursion to overflow, depth capped.
  const queue: { record: DirectoryRecord; path: string[] }[] = [{ record: root, path: [] }];
  for (let q = 0; q < queue.length; q++) {
    const { record, path } = queue[q]!;
    if (path.length > maxDepth) throw new CaptureMediaError('MediaInvalid', `${reader.name}: directory tree deeper than ${maxDepth} levels at ${path.join('/')}`, { target: reader.name });
    if (visited.has(record.extentLba)) {
      throw new InvalidFormatError('MediaInvalid', 'directory record', record.extentLba * SECTOR_BYTES, `directory ${path.join('/') || '/'} points to an extent already visited (a cycle)`);
    }
    visited.add(record.extentLba);
    if (record.dataLengthBytes > MAX_DIRECTORY_BYTES) {
      throw new InvalidFormatError('MediaInvalid', 'directory record', record.extentLba * SECTOR_BYTES, `directory extent of ${record.dataLengthBytes} bytes`);
    }
    const extent = await reader.read(record.extentLba * SECTOR_BYTES, record.dataLengthBytes, 'directory extent');
    const records = parseDirectoryExtent(extent, maxEntries - entries);
    entries += records.length;
    if (entries > maxEntries) throw new CaptureMediaError('MediaInvalid', `${reader.name}: more than ${maxEntries} directory records`, { target: reader.name });
    const seen = new Set<string>();
    let pending: { name: string; extents: IsoExtent[]; first: DirectoryRecord } | undefined;
    for (const child of records) {
      const id = child.identifier;
      if (id.length === 1 && (id[0] === 0 || id[0] === 1)) continue; // "." and ".." (§6.8.2.2)
      const name = decodeName(id, joliet, (child.flags & FILE_FLAG_DIRECTORY) !== 0);
      if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
        throw new InvalidFormatError('MediaInvalid', 'directory record', record.extentLba * SECTOR_BYTES, `unsafe file identifier "${name}" in ${path.join('/') || '/'}`);
      }
      if ((child.flags & FILE_FLAG_DIRECTORY) !== 0) {
        if (pending !== undefined) throw new InvalidFormatError('MediaInvalid', 'directory record', record.extentLba * SECTOR_BYTES, `multi-extent file ${pending.name} is not terminated`);
        addUnique(seen, name, path, reader.name);
        directories.push([...path, name]);
        queue.push({ record: child, path: [...path, name] });
        continue;
      }
      if (child.extentLba * SECTOR_BYTES + child.dataLengthBytes > reader.size && child.dataLengthBytes > 0) {
        throw new InvalidFormatError('MediaInvalid', 'directory record', child.extentLba * SECTOR_BYTES, `file ${[...path, name].join('/')} extends past the end of the image`);
      }
      // §6.5.1: a multi-extent file is a run of records with the same identifier, all but the last with bit 7 set.
      if (pending !== undefined && pending.name !== name) {
        throw new InvalidFormatError('MediaInvalid', 'directory record', record.extentLba * SECTOR_BYTES, `multi-extent file ${pending.name} is not terminated`);
      }
      const current = pending ?? { name, extents: [], first: child };
      current.extents.push({ lba: child.extentLba, sizeBytes: child.dataLengthBytes });
      if ((child.flags & FILE_FLAG_MULTI_EXTENT) !== 0) {
        pending = current;
        continue;
      }
      pending = undefined;
      addUnique(seen, name, path, reader.name);
      files.push({
        path: [...path, name],
        sizeBytes: current.extents.reduce((s, e) => s + e.sizeBytes, 0),
        lba: current.extents[0]!.lba,
        extents: current.extents,
        recordedAt: current.first.recordedAt,
        hidden: (current.first.flags & FILE_FLAG_HIDDEN) !== 0,
      });
    }
    if (pending !== undefined) throw new InvalidFormatError('MediaInvalid', 'directory record', record.extentLba * SECTOR_BYTES, `multi-extent file ${pending.name} is not terminated`);
  }
  return { files, directories };
}

function addUnique(seen: Set<string>, name: string, path: readonly string[], image: string): void {
  if (seen.has(name)) throw new CaptureMediaError('MediaInvalid', `${image}: ${[...path, name].join('/')} appears twice`, { target: image });
  seen.add(name);
}

/** Joliet names are UCS-2 BE; primary names d-characters. Both may carry a ";N" version (§7.5.1) to drop. */
function decodeName(identifier: Uint8Array, joliet: boolean, isDirectory: boolean): string {
  let name = joliet ? decodeUcs2(identifier) : decodeAscii(identifier);
  if (!isDirectory) {
    name = name.replace(/;\d*$/u, '');
    if (!joliet && name.endsWith('.')) name = name.slice(0, -1); // "NAME.;1" has an empty extension
  }
  return name;
}

async function* streamExtentsFrom(reader: StreamingReader, path: string, file: IsoImageFile, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  for (const extent of file.extents) {
    const offset = extent.lba * SECTOR_BYTES;
    if (offset + extent.sizeBytes > reader.sizeBytes) {
      throw new InvalidFormatError('MediaInvalid', 'file extent', offset, `${extent.sizeBytes} bytes would read past the end of ${path} (${reader.sizeBytes} bytes)`);
    }
    yield* reader.stream(offset, extent.sizeBytes, signal);
  }
}

async function* streamExtents(path: string, imageBytes: number, file: IsoImageFile, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (file.sizeBytes === 0) return;
  const handle = await open(path, 'r');
  try {
    const reader = new BoundedReader(handle, imageBytes, path);
    for (const extent of file.extents) {
      for (let done = 0; done < extent.sizeBytes; ) {
        throwIfAborted(signal);
        const length = Math.min(READ_CHUNK_BYTES, extent.sizeBytes - done);
        yield await reader.read(extent.lba * SECTOR_BYTES + done, length, 'file extent');
        done += length;
      }
    }
  } finally {
    await handle.close();
  }
}
