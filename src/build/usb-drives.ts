// USB media on whole drives (the wizard's "Format removable USB drive (FAT32) and make bootable"),
// one pipeline for every platform, shaped after etcher-sdk's pipeSourceToDestinations: one source
// (the media), several destinations (the drives), and per-drive failures returned as data.
//
// The steps every platform shares: resolve each target to one disk (a drive named twice is
// refused), plan the media tree and the FAT32 volume (which checks the 4 GiB rule and gives the
// size the media needs), judge every disk against the safety rules and the disks the job itself
// uses, answer -WhatIf, then hand the judged disks to the platform's strategy, which erases,
// writes and verifies them and says, per drive, what was written or why it failed.
// The job layer reports the good drives and raises one error naming the failed ones.

import { dirname } from 'node:path';
import { disksInUse, type PathInUse } from '../disk/disks-in-use.js';
import { judgeDisk, type DiskInfo, type DiskProvider } from '../disk/model.js';
import { CaptureMediaError, throwIfAborted } from '../errors.js';
import { planUsbVolume, type UsbVolume } from '../layout/fat-volume.js';
import { planMediaTree } from '../layout/media-files.js';
import type { MediaTree } from '../layout/media-tree.js';
import type { MediaPlan } from '../plan/media-plan.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import type { BuildContext } from './context.js';
import { mediaResult, type BuildOutcome, type CreateResult } from './result.js';

/** What was written to one drive. */
export interface DriveWritten {
  /** The result's Path: the disk, and where the platform mounted the new volume if it did. */
  readonly path: string[];
  readonly files: number;
  readonly bytes: number;
  readonly verified: boolean;
  /** When the platform's volume boots more ways than the media tree alone (Windows' boot sector). */
  readonly bootModes?: string[];
}

/** Per drive (by disk path): what was written, or why it failed. */
export type DriveOutcomes = Map<string, DriveWritten | CaptureMediaError>;

export interface UsbJob {
  readonly plan: MediaPlan;
  readonly tree: MediaTree;
  readonly created: Date;
  readonly context: BuildContext;
}

/** How one platform erases, writes and verifies the judged drives. */
export interface UsbDriveStrategy {
  readonly provider: DiskProvider;
  /** Checks before any target is resolved (Windows: elevation; skipped under -WhatIf). */
  preflight?(): Promise<void>;
  /** A line for the log once the volume is planned, before -WhatIf is answered. */
  summary?(disks: readonly DiskInfo[], job: UsbJob, volume: UsbVolume): string;
  /** The -WhatIf lines for the judged drives. */
  whatIf(disks: readonly DiskInfo[], job: UsbJob, volume: UsbVolume): string[];
  /** Erase, write and verify every drive; an error thrown here (Cancelled, PermissionDenied) ends the job. */
  write(disks: readonly DiskInfo[], job: UsbJob, volume: UsbVolume): Promise<DriveOutcomes>;
  dispose(): Promise<void>;
}

/** The paths a create job reads or writes besides its targets: their disks are never erased. */
export function pathsInUse(plan: MediaPlan, boot: OpenedBootImage): PathInUse[] {
  const uses: PathInUse[] = [
    { path: boot.location, what: `the boot image (${boot.location})` },
    { path: plan.temporaryFolder, what: `the temporary folder (${plan.temporaryFolder})` },
    { path: process.cwd(), what: `the current folder (${process.cwd()})` },
  ];
  if (plan.bootImage.kind === 'package') for (const dp of plan.bootImage.distributionPoints) uses.push({ path: dp, what: `the content library (${dp})` });
  if (plan.logPath) uses.push({ path: dirname(plan.logPath), what: `the log (${plan.logPath})` });
  // A console-made capture stick used as the template is the likeliest disk to be named by mistake.
  if (plan.template) uses.push({ path: plan.template, what: `the template (${plan.template})` });
  if (plan.clientSource) uses.push({ path: plan.clientSource, what: `the client source (${plan.clientSource})` });
  return uses;
}

async function resolveTargets(provider: DiskProvider, targets: readonly string[]): Promise<DiskInfo[]> {
  const disks: DiskInfo[] = [];
  for (const target of targets) {
    const disk = await provider.resolve(target);
    if (disks.some((d) => d.path === disk.path)) {
      throw new CaptureMediaError('ParameterConflict', `${target} names ${disk.path}, which is already in the list of drives.`, { target });
    }
    disks.push(disk);
  }
  // Two names for one storage (two loop devices on one image file, two multipath paths): writing
  // both at once would interleave two streams on one disk.
  if (provider.storageKeysOfDisk !== undefined && disks.length > 1) {
    const keys = await Promise.all(disks.map((d) => provider.storageKeysOfDisk!(d)));
    for (let i = 0; i < disks.length; i += 1) {
      for (let j = i + 1; j < disks.length; j += 1) {
        if ([...keys[i]!].some((k) => keys[j]!.has(k))) {
          throw new CaptureMediaError('ParameterConflict', `${disks[i]!.path} and ${disks[j]!.path} are the same storage under two device names; give it once.`, { target: disks[j]!.path });
        }
      }
    }
  }
  return disks;
}

export async function buildUsbDrives(plan: MediaPlan, boot: OpenedBootImage, created: Date, context: BuildContext, strategy: UsbDriveStrategy): Promise<BuildOutcome> {
  const { reporter, signal } = context;
  const started = Date.now();
  try {
    if (!plan.whatIf) await strategy.preflight?.();
    const provider = strategy.provider;
    const disks = await resolveTargets(provider, plan.targets);
    const tree = planMediaTree(plan, boot, created, 'usb', (w) => reporter.log('warning', w));
    const needed = planUsbVolume(plan, tree, created, undefined).layout.diskSizeBytes;
    const inUse = await disksInUse(provider, pathsInUse(plan, boot));
    for (const disk of disks) {
      const safety = { disksInUse: inUse, requiredBytes: needed, allowFixedDisk: plan.allowFixedDisk };
      const verdict = provider.judge ? provider.judge(disk, safety) : judgeDisk(disk, safety);
      if (!verdict.usable) throw new CaptureMediaError(verdict.id, verdict.reason, { target: disk.path });
    }
    // One volume for every drive, so it is streamed once: sized to the smallest drive.
    const volume = planUsbVolume(plan, tree, created, Math.min(...disks.map((d) => d.sizeBytes)));
    const job: UsbJob = { plan, tree, created, context };
    const summary = strategy.summary?.(disks, job, volume);
    if (summary !== undefined) reporter.log('info', summary);
    if (plan.whatIf) {
      for (const line of strategy.whatIf(disks, job, volume)) reporter.log('info', line);
      return { results: [], failures: new Map(), targetCount: disks.length };
    }

    const outcomes = await strategy.write(disks, job, volume);
    throwIfAborted(signal);
    const results: CreateResult[] = [];
    const failures = new Map<string, CaptureMediaError>();
    for (const disk of disks) {
      const outcome = outcomes.get(disk.path) ?? new CaptureMediaError('InternalError', `No outcome for ${disk.path}.`, { target: disk.path });
      if (outcome instanceof CaptureMediaError) {
        failures.set(disk.path, outcome);
        continue;
      }
      results.push(
        mediaResult(
          { plan, boot, tree, started, context },
          {
            mediaType: 'Usb',
            path: outcome.path,
            volumeLabel: plan.label.fat,
            ...(outcome.bootModes ? { bootModes: outcome.bootModes } : {}),
            files: outcome.files,
            bytes: outcome.bytes,
            verified: outcome.verified,
          },
        ),
      );
    }
    return { results, failures, targetCount: disks.length };
  } finally {
    await strategy.dispose();
  }
}
