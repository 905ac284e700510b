// USB without -FormatMedia (the default, as in New-CMCaptureMedia): copy the media onto a volume
// that is already prepared and mounted (a drive letter on Windows, a mount point on Linux, or a
// disk whose one mounted FAT volume is used), as the wizard does with its format box cleared. Foreign files
// are never deleted; each of our files is written to a temporary name and renamed into place, the
// manifest last; a volume holding a different capture media is refused unless -Force.

import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildContext } from './context.js';
import { fileSystemOf, parseMountinfo } from '../disk/linux/mountinfo.js';
import { CaptureMediaError } from '../errors.js';
import { FAT32_MAX_FILE_BYTES } from '../fat/index.js';
import { copyFilesOntoFolder } from '../io/copy-files.js';
import { MANIFEST_MEDIA_PATH } from '../layout/configmgr-names.js';
import { manifestPath, parseManifest } from '../layout/manifest.js';
import { judgeDisk, type DiskInfo } from '../disk/model.js';
import { platformDiskProvider } from '../disk/platform.js';
import type { MediaPlan } from '../plan/media-plan.js';
import { statOrUndefined } from '../plan/paths.js';
import { verifyFolder } from '../verify/verify-folder.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import { planMediaTree, usbVolumeFiles } from '../layout/media-files.js';
import { requireFreeSpace } from '../io/free-space.js';
import { mediaResult, succeeded, type BuildOutcome } from './result.js';

/** The file system type of the mount holding `path` (Linux); undefined elsewhere. */
function fileSystemOfPath(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return fileSystemOf(path, parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')));
}

function volumeRoot(target: string): string {
  return /^[A-Za-z]:\\?$/.test(target) ? `${target.slice(0, 2)}\\` : resolve(target);
}

const FAT_FILE_SYSTEMS = /^(vfat|fat|fat32|msdos)$/i;

function formatMediaRequired(target: string, why: string): CaptureMediaError {
  return new CaptureMediaError(
    'FormatMediaRequired',
    `${why} Without -FormatMedia the files are copied onto the drive's existing FAT32 volume. Add -FormatMedia to erase the drive and format it FAT32, or give the mounted volume itself (E: on Windows, its mount point on Linux).`,
    { target },
  );
}

/**
 * A target that is not a mounted folder is a disk (a number, \\.\PhysicalDriveN, /dev/sdX): use
 * its one mounted FAT volume, after the same safety verdict an erase would get (a copy onto the
 * system disk's EFI partition is still a write to the system disk).
 */
async function volumeOfDisk(target: string, signal: AbortSignal | undefined): Promise<string> {
  const provider = await platformDiskProvider(signal);
  try {
    return fatVolumeOf(await provider.resolve(target), target);
  } finally {
    await provider.dispose?.();
  }
}

/** The mount point (Linux) or drive letter root (Windows) of the disk's one mounted FAT volume. */
export function fatVolumeOf(disk: DiskInfo, target: string): string {
  const verdict = judgeDisk(disk, { disksInUse: new Map(), requiredBytes: 0, allowFixedDisk: false, noFormat: true });
  if (!verdict.usable) throw new CaptureMediaError(verdict.id, verdict.reason, { target });
  const fat = disk.partitions.filter((p) => FAT_FILE_SYSTEMS.test(p.fileSystem ?? ''));
  const mounted = fat.filter((p) => p.mountpoints.length > 0);
  if (mounted.length === 1) return volumeRoot(mounted[0]!.mountpoints[0]!);
  if (mounted.length > 1) {
    throw new CaptureMediaError('ParameterConflict', `${target} has ${mounted.length} mounted FAT volumes (${mounted.flatMap((p) => p.mountpoints).join(', ')}); give the one to write to as -Path.`, { target });
  }
  if (fat.length > 0) throw formatMediaRequired(target, `${target} has a FAT volume (${fat[0]!.path}), but it is not mounted.`);
  throw formatMediaRequired(target, `${target} has no FAT32 volume${disk.partitions.length ? ` (it has ${disk.partitions.map((p) => `${p.path} ${p.fileSystem ?? 'unformatted'}`).join(', ')})` : ''}.`);
}

export async function copyOntoVolume(plan: MediaPlan, boot: OpenedBootImage, created: Date, context: BuildContext): Promise<BuildOutcome> {
  const { reporter, signal } = context;
  if (plan.targets.length !== 1) {
    throw new CaptureMediaError('ParameterConflict', 'Without -FormatMedia the files are copied onto one mounted volume at a time; give one -Path, or add -FormatMedia to erase several drives.');
  }
  const target = plan.targets[0]!;
  const started = Date.now();
  let root = volumeRoot(target);
  const s = await statOrUndefined(root);
  if (!s?.isDirectory()) {
    const device = /^\d+$/.test(target) || target.startsWith('\\\\.\\') || target.startsWith('/dev/') || (s !== undefined && !s.isFile());
    if (!device) {
      throw formatMediaRequired(target, `"${target}" is neither a mounted volume nor a disk.`);
    }
    root = await volumeOfDisk(target, signal);
    reporter.log('verbose', `${target}: copying onto its FAT volume ${root}.`);
  }
  const tree = planMediaTree(plan, boot, created, 'usb', (w) => context.reporter.log('warning', w));
  const files = usbVolumeFiles(plan, tree, created);
  const content = files.slice(0, -1);

  const fs = fileSystemOfPath(root);
  if (fs === 'vfat' || fs === 'msdos') {
    const big = files.find((f) => f.content.sizeBytes > FAT32_MAX_FILE_BYTES);
    if (big) {
      throw new CaptureMediaError('FileTooLargeForFat32', `${big.path.join('\\')} is ${big.content.sizeBytes} bytes; FAT32 holds files up to 4 GiB - 1. Nothing was copied.`, {
        target: big.path.join('\\'),
      });
    }
  }

  const existing = await readFile(join(root, ...MANIFEST_MEDIA_PATH), 'utf8').catch(() => undefined);
  if (existing !== undefined && !plan.force) {
    const old = parseManifest(existing, root);
    const same =
      old.label === plan.label.text &&
      old.files.length === content.length &&
      old.files.every((f, i) => f.path === manifestPath(content[i]!.path) && f.size === content[i]!.content.sizeBytes);
    if (!same) {
      throw new CaptureMediaError('OutputExists', `${root} already holds capture media "${old.label}" (${old.files.length} files, ${old.created}). Use -Force to replace its files; other files on the drive are kept.`, {
        target: root,
      });
    }
  }

  let replacedBytes = 0;
  for (const f of files) replacedBytes += (await statOrUndefined(join(root, ...f.path)))?.size ?? 0;
  const totalBytes = files.reduce((sum, f) => sum + f.content.sizeBytes, 0);
  await requireFreeSpace(root, Math.max(0, totalBytes - replacedBytes) + 1024 * 1024, 'OutputSpaceLow', 'The volume');
  if (plan.whatIf) {
    reporter.log('info', `Would copy ${files.length} files (${totalBytes} bytes) onto ${root}${fs ? ` (${fs})` : ''}; other files there are kept.`);
    return succeeded([]);
  }

  await copyFilesOntoFolder(root, files, { signal, onProgress: (e) => reporter.progress(e) });
  let verified = false;
  if (plan.verify) {
    const outcome = await verifyFolder(root, {
      signal,
      onProgress: (e) => reporter.progress(e),
      status: `Verifying ${root}`,
      onCachedReads: (reason) => reporter.log('verbose', `${root}: read back through the OS cache (${reason}).`),
    });
    reporter.log('verbose', `Verified ${root}: ${outcome.files} files, ${outcome.bytes} bytes match the manifest.`);
    verified = true;
  }
  return succeeded([
    mediaResult({ plan, boot, tree, started, context }, { mediaType: 'Usb', path: [root], volumeLabel: plan.label.fat, files: files.length, bytes: totalBytes, verified }),
  ]);
}
