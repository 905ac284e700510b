// The boot image on written media (`\sources\boot.wim`), opened for the driver check of `verify
// --require-hardware-id`: on an ISO it is read in place through its file extents; on a mounted
// volume (a folder) it is the file; on a FAT32 disk or image it is copied to a temporary file
// first, because a FAT file's clusters need not be contiguous and the WIM reader reads at random.

import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureMediaError, InvalidFormatError } from '../errors.js';
import { readFat32Disk } from '../partition/fat32-disk.js';
import { readIso, type IsoExtent } from '../iso/reader.js';
import { BOOT_WIM_MEDIA_PATH } from '../layout/configmgr-names.js';
import type { MediumKind } from '../verify/detect.js';
import { openWim, openWimSource, type ByteSource, type WimFile } from '../wim/index.js';

const ISO_SECTOR_BYTES = 2048;

export interface MediumWim {
  readonly wim: WimFile;
  /** Remove what was staged (FAT32), after the WIM is closed. */
  dispose(): Promise<void>;
}

const isBootWim = (path: readonly string[]) =>
  path.length === BOOT_WIM_MEDIA_PATH.length && path.every((p, i) => p.toUpperCase() === BOOT_WIM_MEDIA_PATH[i]!.toUpperCase());

function missing(medium: string): CaptureMediaError {
  return new CaptureMediaError('MediaInvalid', `${medium} holds no ${BOOT_WIM_MEDIA_PATH.join('\\')}, so its drivers cannot be checked.`, { target: medium });
}

/** A byte source over a file's extents inside an ISO (ECMA-119 §6.5.1: extents follow each other in file order). */
async function extentSource(isoPath: string, extents: readonly IsoExtent[], sizeBytes: number): Promise<ByteSource> {
  const handle = await open(isoPath, 'r');
  return {
    sizeBytes,
    async readAt(buffer, length, position) {
      if (position + length > sizeBytes) throw new InvalidFormatError('WimInvalid', 'file', position, 'read past the end of the WIM on the medium');
      let done = 0;
      let extentStart = 0;
      for (const extent of extents) {
        const extentEnd = extentStart + extent.sizeBytes;
        while (done < length && position + done < extentEnd) {
          const at = position + done;
          const n = Math.min(length - done, extentEnd - at);
          const { bytesRead } = await handle.read(buffer, done, n, extent.lba * ISO_SECTOR_BYTES + (at - extentStart));
          if (bytesRead === 0) throw new InvalidFormatError('WimInvalid', 'file', at, `${isoPath} ends inside ${BOOT_WIM_MEDIA_PATH.join('\\')}`);
          done += bytesRead;
        }
        extentStart = extentEnd;
        if (done >= length) break;
      }
    },
    close: () => handle.close(),
  };
}

export async function openMediumWim(path: string, kind: MediumKind, signal?: AbortSignal): Promise<MediumWim> {
  if (kind === 'folder') return { wim: await openWim(join(path, ...BOOT_WIM_MEDIA_PATH)).catch(() => Promise.reject(missing(path))), dispose: async () => {} };
  if (kind === 'iso') {
    const iso = await readIso(path);
    const file = iso.files.find((f) => isBootWim(f.path));
    if (!file) throw missing(path);
    return { wim: await openWimSource(await extentSource(path, file.extents, file.sizeBytes), `${path}:${BOOT_WIM_MEDIA_PATH.join('\\')}`), dispose: async () => {} };
  }
  const volume = await readFat32Disk(path, signal ? { signal } : {});
  const dir = await mkdtemp(join(tmpdir(), 'capture-media-wim-'));
  try {
    const file = volume.files.find((f) => isBootWim(f.path));
    if (!file) throw missing(path);
    const staged = join(dir, 'boot.wim');
    const out = await open(staged, 'w', 0o600);
    try {
      for await (const chunk of volume.openFile(file, signal)) await out.write(chunk);
    } finally {
      await out.close();
    }
    const wim = await openWim(staged);
    return { wim, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (error: unknown) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await volume.close();
  }
}
