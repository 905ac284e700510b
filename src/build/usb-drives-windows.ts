// USB media on Windows (DESIGN.md §6; the wizard's "Format removable USB drive (FAT32) and make
// bootable"): elevation first; every target resolved through Get-Disk and judged; then, per disk,
// the identity re-read immediately before one diskpart script (serialised: diskpart is not
// re-entrant) and success judged by re-querying the disk; then the media files copied onto all
// new volumes at once and read back through the file system against the manifest.
//
// Read-back on Windows goes through the file system with unbuffered reads (FILE_FLAG_NO_BUFFERING,
// verify/verify-folder.ts), after every handle of the copy is closed: the bytes come from the
// stick, not from the cache the copy filled. Should the volume refuse unbuffered reads, the files
// are read through the cache and the log says so.

import type { JobContext } from '../job/context.js';
import { identityOf, type DiskInfo, type DiskProvider } from '../disk/model.js';
import {
  assertElevated,
  judgeWindowsDisk,
  NodePowerShellSession,
  prepareWindowsDisk,
  whatIfPlan,
  WindowsDiskProvider,
  type PowerShellSession,
} from '../disk/windows/index.js';
import type { CommandRunner } from '../disk/windows/diskpart.js';
import { CaptureMediaError, throwIfAborted, toCaptureMediaError } from '../errors.js';
import type { MediaPlan } from '../plan/media-plan.js';
import { verifyFolder } from '../verify/verify-folder.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import { copyFilesOntoFolder } from './copy-onto-volume.js';
import { disksInUse } from '../disk/disks-in-use.js';
import { planUsbVolume } from '../layout/fat-volume.js';
import { settleDrives } from '../job/settle-drives.js';
import { mediaResult, type CreateResult } from './result.js';
import { planMediaTree, usbVolumeFiles } from '../layout/media-files.js';

export interface WindowsUsbDeps {
  readonly session: PowerShellSession;
  /** diskpart runner (default: the real diskpart.exe through execa). */
  readonly runner?: CommandRunner;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Where a drive letter's volume is mounted (default "E:" -> "E:\"). */
  readonly volumeRoot?: (driveLetter: string) => string;
  /** The disk provider (default: WindowsDiskProvider over the session). */
  readonly provider?: DiskProvider;
}

export async function buildUsbDrivesWindows(
  plan: MediaPlan,
  boot: OpenedBootImage,
  created: Date,
  context: JobContext,
  deps: WindowsUsbDeps = { session: new NodePowerShellSession({ signal: context.signal }) },
): Promise<CreateResult[]> {
  const { reporter, signal } = context;
  const started = Date.now();
  const volumeRoot = deps.volumeRoot ?? ((letter: string) => `${letter}\\`);
  try {
    if (!plan.whatIf) await assertElevated(deps.session);
    const provider = deps.provider ?? new WindowsDiskProvider(deps.session);
    const disks: DiskInfo[] = [];
    for (const target of plan.targets) {
      const disk = await provider.resolve(target);
      if (disks.some((d) => d.path === disk.path)) throw new CaptureMediaError('ParameterConflict', `${target} names ${disk.path} twice.`, { target });
      disks.push(disk);
    }
    const tree = planMediaTree(plan, boot, created, 'usb', context);
    // Planning the FAT32 volume checks the 4 GiB rule and gives the size the media needs.
    const needed = planUsbVolume(plan, tree, created, undefined).layout.diskSizeBytes;
    const inUse = await disksInUse(provider, plan, boot);
    for (const disk of disks) {
      const verdict = judgeWindowsDisk(disk, { disksInUse: inUse, requiredBytes: needed, allowFixedDisk: plan.allowFixedDisk });
      if (!verdict.usable) throw new CaptureMediaError(verdict.id, verdict.reason, { target: disk.path });
    }
    if (plan.whatIf) {
      for (const disk of disks) for (const line of whatIfPlan(disk, plan.label.fat).split('\n')) reporter.log('info', line);
      return [];
    }

    const failures = new Map<string, CaptureMediaError>();
    const roots = new Map<string, string>();
    for (const disk of disks) {
      throwIfAborted(signal);
      try {
        const prepared = await prepareWindowsDisk(disk, identityOf(disk), plan.label.fat, {
          session: deps.session,
          signal,
          ...(deps.runner ? { runner: deps.runner } : {}),
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
          onRetry: (attempt, exitCode, delayMs) => reporter.log('warning', `diskpart failed on disk ${disk.number} (exit ${exitCode}); retry ${attempt} in ${delayMs} ms.`),
        });
        roots.set(disk.path, volumeRoot(prepared.driveLetter));
        reporter.log('info', `Disk ${disk.number} is now FAT32 volume ${prepared.driveLetter} "${plan.label.fat}".`);
      } catch (error: unknown) {
        const e = toCaptureMediaError(error);
        if (e.id === 'Cancelled' || e.id === 'PermissionDenied') throw e;
        failures.set(disk.path, e);
      }
    }

    const verified = new Set<string>();
    let fileCount = 0;
    let bytes = 0;
    await Promise.all(
      [...roots].map(async ([path, root]) => {
        try {
          const files = usbVolumeFiles(plan, tree, created);
          fileCount = files.length;
          bytes = files.reduce((s, f) => s + f.content.sizeBytes, 0);
          await copyFilesOntoFolder(root, files, { signal, onProgress: (e) => reporter.progress({ ...e, status: `${e.status} (${path})` }) });
          if (plan.verify) {
            // A fresh volume may hold "System Volume Information": other files are allowed.
            await verifyFolder(root, {
              signal,
              where: `${path} (${root})`,
              onProgress: (e) => reporter.progress(e),
              onCachedReads: (reason) => reporter.log('warning', `${path} (${root}): read back through the Windows cache, not from the drive itself (${reason}).`),
            });
            verified.add(path);
          }
        } catch (error: unknown) {
          const e = toCaptureMediaError(error);
          if (e.id === 'Cancelled') throw e;
          failures.set(path, e);
        }
      }),
    );
    throwIfAborted(signal);
    const results: CreateResult[] = disks
      .filter((d) => !failures.has(d.path))
      .map((d) =>
        mediaResult(
          { plan, boot, tree, started, context },
          {
            mediaType: 'Usb',
            path: [d.path, roots.get(d.path) ?? ''],
            volumeLabel: plan.label.fat,
            // Windows' format writes a boot sector that starts bootmgr: these sticks boot BIOS too.
            bootModes: [...tree.bootModes, ...(tree.bootSet.has('bootmgr') ? ['BIOS'] : [])],
            files: fileCount,
            bytes,
            verified: verified.has(d.path),
          },
        ),
      );
    return settleDrives(results, failures, disks.length, reporter);
  } finally {
    await deps.session.dispose();
  }
}
