// Opening the boot image a job builds from: a local .wim, or a package in a content library whose
// FileLib blob is the WIM itself. Either way the WIM is read in place (no staging copy), and its
// bytes reach \sources\boot.wim through one ContentSource.

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CaptureMediaError } from '../errors.js';
import { fileSource, type ContentSource } from '../io/content.js';
import type { Architecture } from '../plan/architecture.js';
import type { BootImageRef } from '../plan/boot-image-ref.js';
import type { ClientFiles } from '../layout/media-tree.js';
import { checkContentLibraryAccess } from './content-library.js';
import { PE_HEAD_BYTES, peMachine } from './pe-machine.js';
import { UEFI_BOOT_MANAGER_WIM_PATH } from '../layout/configmgr-names.js';
import { findBootImage } from './boot-image.js';
import { openWim, type WimFile, type WimImage, type WimImageInfo } from '../wim/index.js';

export interface OpenedBootImage {
  readonly wim: WimFile;
  readonly image: WimImage;
  readonly info: WimImageInfo;
  readonly architecture: Architecture;
  /** The whole WIM, for \sources\boot.wim (SHA-256-checked when it comes from a content library). */
  readonly content: ContentSource;
  /** How to name it to the user: the package id or the file name. */
  readonly name: string;
  /** Where it is read from (the .wim, or the FileLib blob). */
  readonly location: string;
  /** -Template / -ClientSource files that replace its sms\bin on the media (set by create). */
  readonly clientFiles?: ClientFiles;
  close(): Promise<void>;
}

/**
 * The XML's ARCH names the media's loader (bootx64.efi, bootaa64.efi); a WIM whose XML is wrong
 * would give media named for one machine holding another's boot manager, which no firmware starts.
 * The boot manager's PE header says what it really is.
 */
async function checkBootManagerMachine(image: WimImage, claimed: Architecture, name: string): Promise<void> {
  const entry = image.lookup(UEFI_BOOT_MANAGER_WIM_PATH);
  if (entry === undefined || entry.isDirectory) return;
  const chunks: Uint8Array[] = [];
  let have = 0;
  for await (const chunk of image.contentSource(entry).stream()) {
    chunks.push(Uint8Array.from(chunk));
    have += chunk.length;
    if (have >= PE_HEAD_BYTES) break;
  }
  const actual = peMachine(Buffer.concat(chunks));
  if (actual !== undefined && actual !== claimed) {
    throw new CaptureMediaError(
      'ArchitectureMismatch',
      `The boot image ${name} says it is ${claimed} (ARCH in its XML), but its boot manager ${UEFI_BOOT_MANAGER_WIM_PATH} is an ${actual} program: the WIM's metadata is wrong, and media named for ${claimed} would not boot. Fix the image's ARCH (wimlib-imagex info --image-property WINDOWS/ARCH=…) or use the right boot image.`,
      { target: name },
    );
  }
}

async function openLocated(wimPath: string, content: ContentSource, name: string): Promise<OpenedBootImage> {
  const wim = await openWim(wimPath);
  try {
    const index = wim.bootIndex > 0 ? wim.bootIndex : 1;
    const info = wim.images.find((i) => i.index === index);
    if (!info) throw new CaptureMediaError('WimInvalid', `${name} has no image ${index}.`, { target: wimPath });
    const arch = info.architecture;
    if (arch !== 'x86' && arch !== 'x64' && arch !== 'arm64') {
      throw new CaptureMediaError(
        'ArchitectureMismatch',
        `The boot image ${name} is ${arch === 'unknown' ? 'of an unknown architecture (no ARCH in its XML)' : arch}; capture media need an x86, x64 or arm64 WinPE.`,
        { target: name },
      );
    }
    const image = await wim.openImage(index);
    await checkBootManagerMachine(image, arch, name);
    return { wim, image, info, architecture: arch, content, name, location: wimPath, close: () => wim.close() };
  } catch (error: unknown) {
    await wim.close();
    throw error;
  }
}

export async function openBootImage(ref: BootImageRef): Promise<OpenedBootImage> {
  if (ref.kind === 'file') {
    const s = await stat(ref.path);
    return openLocated(ref.path, fileSource(ref.path, s.size), basename(ref.path));
  }
  await checkContentLibraryAccess(ref.distributionPoints);
  const found = await findBootImage(ref.distributionPoints, ref.packageId);
  return openLocated(found.wimFile.blobPath, found.source, ref.packageId);
}
