// The Linux strategy of the USB drive pipeline (usb-drives.ts): block devices written by our own
// MBR + FAT32 writer. Each drive's identity is re-checked right before its exclusive open, the
// volume is streamed once to every drive at the same time (sector 0 last), then each drive is read
// back bypassing the page cache and verified. One drive failing does not stop the others.

import { openDeviceForWrite, type DeviceSink } from '../disk/linux/device-sink.js';
import { identityOf, type DiskInfo } from '../disk/model.js';
import { platformDiskProvider } from '../disk/platform.js';
import { CaptureMediaError, throwIfAborted, toCaptureMediaError } from '../errors.js';
import { emitFat32Disk } from '../partition/fat32-disk.js';
import { openDirectReader } from '../io/direct-reader.js';
import { formatBytes } from '../io/format-bytes.js';
import { offsetReaderHandle } from '../io/positional.js';
import { ProgressMeter } from '../io/progress.js';
import { TeeSink } from '../io/tee-sink.js';
import { PARTITION_OFFSET_BYTES, type UsbVolume } from '../layout/fat-volume.js';
import { verifyFat } from '../verify/verify-fat.js';
import type { DriveOutcomes, UsbDriveStrategy, UsbJob } from './usb-drives.js';

const describeDisk = (d: DiskInfo) => `${d.path} (${[d.model, d.serial && `serial ${d.serial}`, d.busType, formatBytes(d.sizeBytes)].filter(Boolean).join(', ')})`;

export async function linuxUsbStrategy(signal: AbortSignal): Promise<UsbDriveStrategy> {
  const provider = await platformDiskProvider(signal);
  return {
    provider,
    summary: (_disks, { plan, tree }, volume) =>
      `Volume: FAT32 "${plan.label.fat}", ${volume.layout.diskSizeBytes} bytes from 1 MiB, ${volume.files} files; boots ${tree.bootModes.join(' and ')}.`,
    whatIf: (disks, { plan }) => disks.map((d) => `Would erase ${describeDisk(d)} and write an MBR with one active FAT32 partition labelled "${plan.label.fat}".`),
    write: (disks, job, volume) => writeDrives(provider, disks, job, volume),
    dispose: async () => provider.dispose?.(),
  };
}

async function writeDrives(provider: Awaited<ReturnType<typeof platformDiskProvider>>, disks: readonly DiskInfo[], job: UsbJob, volume: UsbVolume): Promise<DriveOutcomes> {
  const { reporter, signal } = job.context;
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
  if (job.plan.verify) {
    await Promise.all(
      written.map(async (disk) => {
        try {
          const reader = await openDirectReader(disk.path);
          if (!reader.direct) reporter.log('verbose', `${disk.path}: read-back through the page cache after flushing it (${reader.fallbackReason ?? 'O_DIRECT unavailable'}).`);
          const outcome = await verifyFat(offsetReaderHandle(reader), {
            where: disk.path,
            partitionOffsetBytes: PARTITION_OFFSET_BYTES,
            streamer: reader,
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
  const outcomes: DriveOutcomes = new Map();
  for (const d of disks) {
    outcomes.set(d.path, failures.get(d.path) ?? { path: [d.path], files: volume.files, bytes: volume.layout.diskSizeBytes, verified: verified.has(d.path) });
  }
  return outcomes;
}
