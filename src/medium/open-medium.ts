// One read-only view of any medium a template or a comparison names: an ISO file (its UDF file
// system when it has one, as Windows reads a bridge disc; else Joliet; else ISO 9660), a FAT32
// disk image, device or bare volume, or a folder (a mounted drive or a copied medium). Callers
// see file paths, sizes, a byte stream per file, the volume labels and El Torito entries.

import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CaptureMediaError, errnoCode } from '../errors.js';
import { readFat32Disk } from '../partition/fat32-disk.js';
import { streamFile } from '../io/pooled-reads.js';
import { readIso } from '../iso/index.js';
import { listFolderFiles } from '../io/folder-files.js';
import { hasUdf, readUdf } from '../udf/index.js';

export type MediumFileSystem = 'UDF' | 'Joliet' | 'ISO 9660' | 'FAT32' | 'Folder';

export interface MediumFile {
  readonly path: readonly string[];
  readonly sizeBytes: number;
}

export interface MediumBootEntry {
  /** 0x00 BIOS, 0xEF UEFI (El Torito). */
  readonly platformId: number;
  readonly mediaType: number;
  /** 512-byte sectors loaded at boot. */
  readonly loadSectors: number;
  /** The file the entry boots, when one starts at its sector. */
  readonly image: string | undefined;
}

export interface MediumLabels {
  readonly iso?: string;
  readonly joliet?: string;
  readonly udf?: string;
  readonly fat?: string;
}

export interface OpenedMedium {
  readonly path: string;
  /** The tree `files` comes from. */
  readonly fileSystem: MediumFileSystem;
  readonly labels: MediumLabels;
  /** El Torito entries of an ISO; undefined for other media. */
  readonly bootEntries: readonly MediumBootEntry[] | undefined;
  readonly files: readonly MediumFile[];
  openFile(file: MediumFile, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

export interface OpenMediumOptions {
  /** Read the ISO 9660/Joliet tree even when a UDF file system is present. */
  readonly ignoreUdf?: boolean;
}

/**
 * An absolute medium path. A bare drive letter ("E:" or "E:\\") means the drive's root: Node's
 * resolve("E:") would give the process's current folder on that drive instead.
 */
export function resolveMediumPath(path: string): string {
  return /^[A-Za-z]:\\?$/.test(path) ? `${path[0]!.toUpperCase()}:\\` : resolve(path);
}

/** A folder medium's file, read ahead through the slab pool (io/pooled-reads.ts), past the cache where allowed. */
function streamFolderFile(fullPath: string, sizeBytes: number, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  return streamFile(fullPath, sizeBytes, {
    signal,
    refuse: (kind) => new CaptureMediaError('MediaInvalid', `${fullPath} is ${kind}, not a file.`, { target: fullPath }),
    shortFile: (at) => new CaptureMediaError('MediaInvalid', `${fullPath} became shorter while it was read (${at} of ${sizeBytes} bytes).`, { target: fullPath }),
    // As before: the OS's error itself, which the job reports with its errno.
    ioError: (error) => (error instanceof Error ? error : new Error(String(error))),
  });
}

async function kindOf(path: string): Promise<'folder' | 'iso' | 'fat'> {
  let s;
  try {
    s = await stat(path);
  } catch (error: unknown) {
    throw new CaptureMediaError(errnoCode(error) === 'EACCES' ? 'PermissionDenied' : 'InvalidParameter', `Cannot read ${path}: ${(error as Error).message}`, { target: path, cause: error });
  }
  if (s.isDirectory()) return 'folder';
  // A FIFO or character device would block or never end: only files and disks (USB drives) are media.
  if (!s.isFile() && !s.isBlockDevice()) {
    throw new CaptureMediaError('MediaInvalid', `${path} is not a file, disk or folder (a FIFO or device?); name an ISO, a USB image or drive, or a folder.`, { target: path });
  }
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(17 * 2048);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const id = bytesRead >= head.length ? head.toString('latin1', 16 * 2048 + 1, 16 * 2048 + 6) : '';
    // ECMA-119 "CD001" or, on a disc with no ISO 9660 side at all, ECMA-167's "BEA01".
    if (id === 'CD001' || id === 'BEA01') return 'iso';
    if (bytesRead >= 512 && head[510] === 0x55 && head[511] === 0xaa) return 'fat';
  } finally {
    await handle.close();
  }
  throw new CaptureMediaError('MediaInvalid', `${path} is neither an ISO/UDF image, a FAT32 disk or volume, nor a folder.`, { target: path });
}

export async function openMedium(path: string, options: OpenMediumOptions = {}): Promise<OpenedMedium> {
  const kind = await kindOf(path);
  if (kind === 'folder') {
    const files = (await listFolderFiles(path, 'MediaInvalid')).map((f) => ({ path: f.relative, sizeBytes: f.sizeBytes, fullPath: f.fullPath }));
    return {
      path,
      fileSystem: 'Folder',
      labels: {},
      bootEntries: undefined,
      files,
      openFile: (file, signal) => streamFolderFile((file as (typeof files)[number]).fullPath, file.sizeBytes, signal),
      close: async () => undefined,
    };
  }
  if (kind === 'fat') {
    const volume = await readFat32Disk(path);
    return {
      path,
      fileSystem: 'FAT32',
      labels: { fat: volume.label },
      bootEntries: undefined,
      files: volume.files,
      openFile: (file, signal) => volume.openFile(file as (typeof volume.files)[number], signal),
      close: () => volume.close(),
    };
  }
  const udf = (await hasUdf(path)) ? await readUdf(path) : undefined;
  // A UDF-only disc has no "CD001" at all; its ISO side, when present, is only a readme stub.
  const iso = await readIso(path).catch((error: unknown) => {
    if (udf !== undefined) return undefined;
    throw error;
  });
  const labels: MediumLabels = {
    ...(iso ? { iso: iso.volumeLabel } : {}),
    ...(iso?.jolietLabel !== undefined ? { joliet: iso.jolietLabel } : {}),
    ...(udf ? { udf: udf.volumeLabel } : {}),
  };
  const bootEntries = iso?.bootCatalog?.entries.map((e) => ({ platformId: e.platformId, mediaType: e.mediaType, loadSectors: e.sectorCount, image: e.path?.join('\\') })) ?? (iso ? [] : undefined);
  if (udf !== undefined && options.ignoreUdf !== true) {
    return {
      path,
      fileSystem: 'UDF',
      labels,
      bootEntries,
      files: udf.files,
      openFile: (file, signal) => udf.openFile(file as (typeof udf.files)[number], signal),
      close: async () => undefined,
    };
  }
  if (iso === undefined) throw new CaptureMediaError('MediaInvalid', `${path} has no ISO 9660 tree.`, { target: path });
  return {
    path,
    fileSystem: iso.tree === 'joliet' ? 'Joliet' : 'ISO 9660',
    labels,
    bootEntries,
    files: iso.files,
    openFile: (file, signal) => iso.openFile(file as (typeof iso.files)[number], signal),
    close: async () => undefined,
  };
}
