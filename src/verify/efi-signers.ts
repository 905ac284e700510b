// The signers of every EFI program on a medium (Test-CaptureMedia / `verify`): each *.efi file,
// and each program inside the El Torito UEFI boot image (efisys*.bin, a FAT12/16 image read with
// fat/small-volume.ts) — the one a UEFI computer really starts from a disc. A UEFI loader
// (\efi\boot\boot*.efi, and \EFI\BOOT\BOOT*.EFI inside the El Torito image) that is unsigned,
// modified, or signed only by PCA 2011 gets a warning: it will not start under Secure Boot, or
// not on devices whose dbx revokes PCA 2011.

import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readAuthenticode, MAX_PROGRAM_BYTES, type AuthenticodeReport } from '../authenticode/reader.js';
import { summariseSigners } from '../authenticode/signers.js';
import { throwIfAborted } from '../errors.js';
import { readSmallFatVolume } from '../fat/small-volume.js';
import { readFat32Disk } from '../partition/fat32-disk.js';
import { readIso } from '../iso/index.js';
import type { MediumKind } from './detect.js';
import { readWhole } from '../io/content.js';

/** El Torito platform id of UEFI (El Torito as extended by the UEFI spec §2.3.x "El Torito"). */
const PLATFORM_UEFI = 0xef;
const EFI_PROGRAM = /\.efi$/i;
const EFISYS_IMAGE = /^efisys.*\.bin$/i;
const UEFI_LOADER = /^boot(x64|ia32|aa64|arm)\.efi$/i;
const MAX_FOLDER_FILES = 100_000;

export interface EfiProgramSigners {
  /** \path\on\the\medium, or \path\to\efisys.bin:\EFI\BOOT\BOOTX64.EFI for a program inside the El Torito image. */
  readonly Path: string;
  /** A UEFI loader: what firmware starts from this medium. */
  readonly Loader: boolean;
  readonly Status: AuthenticodeReport['status'];
  /** Issuers of the signatures that match the program. */
  readonly Signers: readonly string[];
  /** Issuers of signatures that do not match it (modified after signing). */
  readonly MismatchedSigners: readonly string[];
  readonly Warning: string | null;
}

interface MediumFile {
  readonly path: readonly string[];
  readonly sizeBytes: number;
  read(signal?: AbortSignal): Promise<Uint8Array>;
}

const mediaPath = (path: readonly string[]) => `\\${path.join('\\')}`;

function report(path: string, loader: boolean, authenticode: AuthenticodeReport): EfiProgramSigners {
  const summary = summariseSigners(authenticode, path);
  return {
    Path: path,
    Loader: loader,
    Status: authenticode.status,
    Signers: summary.signers,
    MismatchedSigners: summary.mismatchedSigners,
    Warning: summary.warning ?? null,
  };
}

const tooLarge = (size: number): AuthenticodeReport => ({ status: 'malformed', signatures: [], problems: [`${size} bytes is larger than any boot program`] });

/** Programs inside one El Torito UEFI image. */
function efisysPrograms(where: string, image: Uint8Array): EfiProgramSigners[] {
  let volume;
  try {
    volume = readSmallFatVolume(image);
  } catch (e: unknown) {
    const problem = e instanceof Error ? e.message : String(e);
    return [{ Path: where, Loader: true, Status: 'malformed', Signers: [], MismatchedSigners: [], Warning: `${where} is not a FAT boot image (${problem}): UEFI firmware cannot boot the disc.` }];
  }
  const programs = volume.files.filter((f) => EFI_PROGRAM.test(f.path[f.path.length - 1]!));
  const out = programs.map((f) => {
    const name = `${where}:${mediaPath(f.path)}`;
    const loader = f.path.length === 3 && f.path[0]!.toUpperCase() === 'EFI' && f.path[1]!.toUpperCase() === 'BOOT' && UEFI_LOADER.test(f.path[2]!);
    return report(name, loader, f.sizeBytes > MAX_PROGRAM_BYTES ? tooLarge(f.sizeBytes) : readAuthenticode(f.readBytes()));
  });
  if (!out.some((p) => p.Loader)) {
    out.push({ Path: where, Loader: true, Status: 'not-pe', Signers: [], MismatchedSigners: [], Warning: `${where} holds no \\EFI\\BOOT\\BOOT*.EFI: UEFI firmware cannot boot the disc.` });
  }
  return out;
}

async function examine(files: readonly MediumFile[], elToritoUefi: readonly string[] | undefined, signal?: AbortSignal): Promise<EfiProgramSigners[]> {
  const out: EfiProgramSigners[] = [];
  const elToritoKey = elToritoUefi?.join('\\').toLowerCase();
  for (const file of files) {
    throwIfAborted(signal);
    const name = file.path[file.path.length - 1] ?? '';
    const isElTorito = elToritoKey !== undefined && file.path.join('\\').toLowerCase() === elToritoKey;
    if (EFI_PROGRAM.test(name)) {
      const loader = file.path.length === 3 && file.path[0]!.toLowerCase() === 'efi' && file.path[1]!.toLowerCase() === 'boot' && UEFI_LOADER.test(name);
      out.push(report(mediaPath(file.path), loader, file.sizeBytes > MAX_PROGRAM_BYTES ? tooLarge(file.sizeBytes) : readAuthenticode(await file.read(signal))));
    } else if (isElTorito || EFISYS_IMAGE.test(name)) {
      if (file.sizeBytes > MAX_PROGRAM_BYTES) continue;
      out.push(...efisysPrograms(mediaPath(file.path), await file.read(signal)));
    }
  }
  return out;
}

async function folderFiles(root: string): Promise<MediumFile[]> {
  const out: MediumFile[] = [];
  const walk = async (prefix: readonly string[], depth: number): Promise<void> => {
    if (depth > 16 || out.length > MAX_FOLDER_FILES) return;
    for (const entry of await readdir(join(root, ...prefix), { withFileTypes: true })) {
      const path = [...prefix, entry.name];
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile() && (EFI_PROGRAM.test(entry.name) || EFISYS_IMAGE.test(entry.name))) {
        const handle = await open(join(root, ...path), 'r');
        const { size } = await handle.stat();
        await handle.close();
        out.push({
          path,
          sizeBytes: size,
          read: async () => {
            const h = await open(join(root, ...path), 'r');
            try {
              const bytes = Buffer.alloc(size);
              const { bytesRead } = await h.read(bytes, 0, size, 0);
              return bytes.subarray(0, bytesRead);
            } finally {
              await h.close();
            }
          },
        });
      }
    }
  };
  await walk([], 0);
  return out;
}

/** The signers of every EFI program on the medium at `path` (already identified as `kind`). */
export async function readMediaSigners(path: string, kind: MediumKind, signal?: AbortSignal): Promise<EfiProgramSigners[]> {
  if (kind === 'iso') {
    const image = await readIso(path);
    const uefi = image.bootCatalog?.entries.find((e) => e.platformId === PLATFORM_UEFI);
    const files = image.files.map((f) => ({ path: f.path, sizeBytes: f.sizeBytes, read: (s?: AbortSignal) => readWhole(image.openFile(f, s), f.sizeBytes) }));
    const programs = await examine(files, uefi?.path, signal);
    if (uefi && !uefi.path) {
      const where = `El Torito UEFI image at sector ${uefi.lba}`;
      programs.push({ Path: where, Loader: true, Status: 'not-pe', Signers: [], MismatchedSigners: [], Warning: `The ${where} is not a file on the disc: its signers were not read.` });
    }
    return programs;
  }
  if (kind === 'fat') {
    // A disk or image holds the volume behind its MBR; a bare volume starts at 0.
    const volume = await readFat32Disk(path, signal ? { signal } : {});
    try {
      const files = volume.files.map((f) => ({ path: f.path, sizeBytes: f.sizeBytes, read: (s?: AbortSignal) => readWhole(volume.openFile(f, s), f.sizeBytes) }));
      return await examine(files, undefined, signal);
    } finally {
      await volume.close();
    }
  }
  return examine(await folderFiles(path), undefined, signal);
}
