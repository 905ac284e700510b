// UsbImage media: a raw disk image (MBR + FAT32) for duplicating many sticks. Same atomic output
// as ISOs: a private temp file beside the target, verified by reading it back, then renamed.

import { dirname } from 'node:path';
import type { BuildContext } from './context.js';
import { throwIfAborted } from '../errors.js';
import { emitFat32Disk } from '../partition/fat32-disk.js';
import { ProgressMeter } from '../io/progress.js';
import type { MediaPlan } from '../plan/media-plan.js';
import { refuseExisting } from '../plan/paths.js';
import { verifyFat } from '../verify/verify-fat.js';
import { describeReads } from '../verify/verify-manifest.js';
import { AtomicOutput, removeStaleTempFiles } from '../io/atomic-output.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import { planUsbVolume } from '../layout/fat-volume.js';
import { planMediaTree } from '../layout/media-files.js';
import { requireFreeSpace } from '../io/free-space.js';
import { mediaResult, succeeded, type BuildOutcome } from './result.js';
import { namesInJournals } from './set-commit.js';

export async function buildUsbImage(plan: MediaPlan, boot: OpenedBootImage, created: Date, context: BuildContext): Promise<BuildOutcome> {
  const { reporter, signal } = context;
  const started = Date.now();
  const target = plan.targets[0]!;
  const volume = planUsbVolume(plan, planMediaTree(plan, boot, created, 'usb', (w) => context.reporter.log('warning', w)), created, plan.imageSizeBytes ?? undefined);
  const diskBytes = volume.layout.diskSizeBytes;
  reporter.log('info', `Image: ${diskBytes} bytes (FAT32, ${volume.layout.geometry.clusterSizeBytes}-byte clusters), ${volume.files} files, ${volume.contentBytes} bytes of content; boots ${volume.tree.bootModes.join(' and ')}.`);
  if (plan.whatIf) {
    reporter.log('info', `Would write ${target}: a ${diskBytes}-byte disk image with one FAT32 partition labelled "${plan.label.fat}".`);
    return succeeded([]);
  }
  await refuseExisting([target], plan.force);
  for (const name of await removeStaleTempFiles(dirname(target), Date.now(), await namesInJournals(dirname(target)))) reporter.log('info', `Removed a stale temporary file from an earlier interrupted run: ${name}`);
  // The image is sparse: only metadata and file data take space.
  await requireFreeSpace(dirname(target), volume.contentBytes + 16 * 1024 * 1024, 'OutputSpaceLow', 'The output folder');

  const out = await AtomicOutput.create(target);
  try {
    const meter = new ProgressMeter('write', diskBytes, (e) => reporter.progress(e), `Writing ${target}`);
    meter.start();
    await emitFat32Disk(volume.layout, out.sink, { signal, onBytes: (n) => meter.add(n) });
    await out.close();
    meter.finish();
    if (plan.verify) {
      throwIfAborted(signal);
      const outcome = await verifyFat(out.tempPath, { where: target, signal, onProgress: (e) => reporter.progress(e), status: `Verifying ${target}` });
      reporter.log('verbose', `Verified ${target}: ${outcome.files} files, ${outcome.bytes} bytes match the manifest${describeReads(outcome)}.`);
    }
    throwIfAborted(signal);
    await out.commit();
  } finally {
    await out.discard();
  }
  return succeeded([
    mediaResult(
      { plan, boot, tree: volume.tree, started, context },
      { mediaType: 'UsbImage', path: [target], volumeLabel: plan.label.fat, files: volume.files, bytes: diskBytes, verified: plan.verify },
    ),
  ]);
}
