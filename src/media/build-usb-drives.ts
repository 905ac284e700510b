// USB media on block devices (Linux; DESIGN.md §6): resolve every target to a stable identity,
// refuse unsafe disks before anything is written, plan one FAT32 volume for all of them, re-check
// each identity right before its exclusive open, stream the volume once to every drive at the
// same time (sector 0 last), then read each drive back bypassing the page cache and verify it.
// One drive failing does not stop the others; each good drive gets its result.

import type { JobContext } from '../cli/context.js';
import { openDeviceForWrite, openDirectReader, type DeviceSink } from '../disk/device-io.js';
import { identityOf, judgeDisk, type DiskInfo } from '../disk/model.js';
import { platformDiskProvider } from '../disk/platform.js';
import { CaptureMediaError, throwIfAborted, toCaptureMediaError } from '../errors.js';
import { emitFat32Disk } from '../fat/index.js';
import { offsetReaderHandle } from '../io/positional.js';
import { ProgressMeter } from '../io/progress.js';
import { TeeSink } from '../io/tee-sink.js';
import type { MediaPlan } from '../plan/media-plan.js';
import { verifyFat } from '../verify/verify-fat.js';
import type { OpenedBootImage } from './boot-image-source.js';
import { disksInUse } from './disks-in-use.js';
import { PARTITION_OFFSET_BYTES, planUsbVolume } from './fat-volume.js';
import { planMediaTree } from './media-files.js';
import { settleDrives } from './drive-outcomes.js';
import { mediaResult, type CreateResult } from './result.js';

const describeDisk = (d: DiskInfo) => `${d.path} (${[d.model, d.serial && `serial ${d.serial}`, d.busType, `${(d.sizeBytes / 1e9).toFixed(1)} GB`].filter(Boolean).join(', ')})`;

export async function buildUsbDrives(plan: MediaPlan, boot: OpenedBootImage, created: Date, context: JobContext): Promise<CreateResult[]> {
  const { reporter, signal } = context;
  const started = Date.now();
  const provider = await platformDiskProvider(signal);
  try {
    const disks: DiskInfo[] = [];
    for (const target of plan.targets) {
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
    const tree = planMediaTree(plan, boot, created, 'usb', context);
    const minimal = planUsbVolume(plan, tree, created, undefined);
    const inUse = await disksInUse(provider, plan, boot);
    for (const disk of disks) {
      const verdict = judgeDisk(disk, { disksInUse: inUse, requiredBytes: minimal.layout.diskSizeBytes, allowFixedDisk: plan.allowFixedDisk });
      if (!verdict.usable) throw new CaptureMediaError(verdict.id, verdict.reason, { target: disk.path });
    }
    // One volume for every drive, so it is streamed once: sized to the smallest drive.
    const diskSizeBytes = Math.min(...disks.map((d) => d.sizeBytes));
    const volume = planUsbVolume(plan, tree, created, diskSizeBytes);
    reporter.log('info', `Volume: FAT32 "${plan.label.fat}", ${diskSizeBytes} bytes from 1 MiB, ${volume.files} files; boots ${tree.bootModes.join(' and ')}.`);
    if (plan.whatIf) {
      for (const d of disks) reporter.log('info', `Would erase ${describeDisk(d)} and write an MBR with one active FAT32 partition labelled "${plan.label.fat}".`);
      return [];
    }

    // Identity is re-checked inside openDeviceForWrite, immediately before the exclusive open.
    const sinks = new Map<string, DeviceSink>();
    const failures = new Map<string, CaptureMediaError>();
    for (const disk of disks) {
      try {
        sinks.set(disk.path, await openDeviceForWrite(disk, identityOf(disk), provider));
      } catch (error: unknown) {
        failures.set(disk.path, toCaptureMediaError(error));
      }
    }
    const tee = new TeeSink([...sinks].map(([name, sink]) => ({ name, sink })));
    try {
      if (sinks.size > 0) {
        const meter = new ProgressMeter('write', volume.layout.diskSizeBytes, (e) => reporter.progress(e), `Writing ${[...sinks.keys()].join(', ')}`);
        meter.start();
        await emitFat32Disk(volume.layout, tee, { signal, onBytes: (n) => meter.add(n) });
        meter.finish();
      }
    } catch (error: unknown) {
      for (const sink of sinks.values()) await sink.abandon().catch(() => undefined);
      if (error instanceof CaptureMediaError && error.id === 'Cancelled') throw error;
      for (const name of sinks.keys()) if (!failures.has(name)) failures.set(name, toCaptureMediaError(error));
      sinks.clear();
    }
    for (const [name, reason] of tee.failures) failures.set(name, new CaptureMediaError('WriteFailed', `Writing ${name} failed: ${toCaptureMediaError(reason).message}`, { target: name, cause: reason }));
    for (const [name, sink] of sinks) {
      if (failures.has(name)) {
        await sink.abandon().catch(() => undefined);
        continue;
      }
      try {
        const finished = await sink.finish();
        for (const w of finished.warnings) reporter.log('warning', w);
      } catch (error: unknown) {
        failures.set(name, toCaptureMediaError(error));
      }
    }
    throwIfAborted(signal);

    const written = disks.filter((d) => !failures.has(d.path));
    const verified = new Set<string>();
    if (plan.verify) {
      await Promise.all(
        written.map(async (disk) => {
          try {
            const reader = await openDirectReader(disk.path);
            if (!reader.direct) reporter.log('verbose', `${disk.path}: read-back through the page cache after flushing it (${reader.fallbackReason ?? 'O_DIRECT unavailable'}).`);
            const outcome = await verifyFat(offsetReaderHandle(reader), {
              where: disk.path,
              partitionOffsetBytes: PARTITION_OFFSET_BYTES,
              signal,
              onProgress: (e) => reporter.progress(e),
              status: `Verifying ${disk.path}`,
            });
            verified.add(disk.path);
            reporter.log('verbose', `Verified ${disk.path}: ${outcome.files} files, ${outcome.bytes} bytes match the manifest.`);
          } catch (error: unknown) {
            const e = toCaptureMediaError(error);
            failures.set(disk.path, e.id === 'Cancelled' ? e : new CaptureMediaError('VerifyFailed', `Verifying ${disk.path} failed: ${e.message}`, { target: disk.path, cause: error }));
          }
        }),
      );
    }
    throwIfAborted(signal);
    const results: CreateResult[] = disks
      .filter((d) => !failures.has(d.path))
      .map((d) =>
        mediaResult(
          { plan, boot, tree, started, context },
          { mediaType: 'Usb', path: [d.path], volumeLabel: plan.label.fat, files: volume.files, bytes: volume.layout.diskSizeBytes, verified: verified.has(d.path) },
        ),
      );
    return settleDrives(results, failures, disks.length, reporter);
  } finally {
    await (provider as { dispose?: () => Promise<void> }).dispose?.();
  }
}
