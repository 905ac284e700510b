// The Windows strategy of the USB drive pipeline (usb-drives.ts): elevation first; per disk, the
// identity re-read immediately before one diskpart script (serialised: diskpart is not
// re-entrant) and success judged by re-querying the disk; then the media files copied onto all
// new volumes at once and read back through the file system against the manifest.
//
// Read-back goes through the file system with unbuffered reads (FILE_FLAG_NO_BUFFERING,
// verify/verify-folder.ts), after every handle of the copy is closed: the bytes come from the
// stick, not from the cache the copy filled. Should the volume refuse unbuffered reads, the files
// are read through the cache and the log says so.

import { identityOf, type DiskInfo, type DiskProvider } from '../disk/model.js';
import type { CommandRunner } from '../disk/windows/diskpart.js';
import { assertElevated, NodePowerShellSession, prepareWindowsDisk, whatIfPlan, WindowsDiskProvider, type PowerShellSession } from '../disk/windows/index.js';
import { throwIfAborted, toCaptureMediaError } from '../errors.js';
import { copyFilesOntoFolder } from '../io/copy-files.js';
import { usbVolumeFiles } from '../layout/media-files.js';
import { verifyFolder } from '../verify/verify-folder.js';
import type { DriveOutcomes, UsbDriveStrategy, UsbJob } from './usb-drives.js';

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

export function windowsUsbStrategy(signal: AbortSignal, deps: WindowsUsbDeps = { session: new NodePowerShellSession({ signal }) }): UsbDriveStrategy {
  return {
    provider: deps.provider ?? new WindowsDiskProvider(deps.session),
    preflight: () => assertElevated(deps.session),
    whatIf: (disks, { plan }) => disks.flatMap((disk) => whatIfPlan(disk, plan.label.fat).split('\n')),
    write: (disks, job) => writeDrives(disks, job, deps),
    dispose: () => deps.session.dispose(),
  };
}

async function writeDrives(disks: readonly DiskInfo[], job: UsbJob, deps: WindowsUsbDeps): Promise<DriveOutcomes> {
  const { plan, tree, created } = job;
  const { reporter, signal } = job.context;
  const volumeRoot = deps.volumeRoot ?? ((letter: string) => `${letter}\\`);
  const outcomes: DriveOutcomes = new Map();
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
      outcomes.set(disk.path, e);
    }
  }

  // Windows' format writes a boot sector that starts bootmgr: these sticks boot BIOS too.
  const bootModes = [...tree.bootModes, ...(tree.bootSet.has('bootmgr') ? ['BIOS'] : [])];
  await Promise.all(
    [...roots].map(async ([path, root]) => {
      try {
        const files = usbVolumeFiles(plan, tree, created);
        await copyFilesOntoFolder(root, files, { signal, onProgress: (e) => reporter.progress({ ...e, status: `${e.status} (${path})` }) });
        if (plan.verify) {
          // A fresh volume may hold "System Volume Information": other files are allowed.
          await verifyFolder(root, {
            signal,
            where: `${path} (${root})`,
            onProgress: (e) => reporter.progress(e),
            onCachedReads: (reason) => reporter.log('warning', `${path} (${root}): read back through the Windows cache, not from the drive itself (${reason}).`),
          });
        }
        outcomes.set(path, { path: [path, root], bootModes, files: files.length, bytes: files.reduce((s, f) => s + f.content.sizeBytes, 0), verified: plan.verify });
      } catch (error: unknown) {
        const e = toCaptureMediaError(error);
        if (e.id === 'Cancelled') throw e;
        outcomes.set(path, e);
      }
    }),
  );
  return outcomes;
}
