// `create`: validate into a MediaPlan, open the boot image, check its architecture, then build
// the media for the chosen type.

import { buildIsoSet } from '../../media/build-iso-set.js';
import { buildUsbImage } from '../../media/build-usb-image.js';
import { buildUsbDrives } from '../../media/build-usb-drives.js';
import { buildUsbDrivesWindows } from '../../media/build-usb-windows.js';
import { copyOntoVolume } from '../../media/copy-onto-volume.js';
import { openBootImage } from '../../media/boot-image-source.js';
import { recordedAt } from '../../media/recorded-at.js';
import type { CreateResult } from '../../media/result.js';
import { checkArchitecture } from '../../plan/architecture.js';
import { createMediaPlan, type MediaPlan } from '../../plan/media-plan.js';
import type { CreateParameters } from '../../plan/parameters.js';
import type { JobContext } from '../context.js';
import type { OpenedBootImage } from '../../media/boot-image-source.js';

type MediaBuilder = (plan: MediaPlan, boot: OpenedBootImage, created: Date, context: JobContext) => Promise<CreateResult[]>;

const BUILDERS: Readonly<Record<MediaPlan['mediaType'], MediaBuilder>> = {
  CdDvd: buildIsoSet,
  UsbImage: buildUsbImage,
  Usb: (plan, boot, created, context) => {
    if (!plan.format) return copyOntoVolume(plan, boot, created, context);
    return process.platform === 'win32' ? buildUsbDrivesWindows(plan, boot, created, context) : buildUsbDrives(plan, boot, created, context);
  },
};

export async function runCreate(params: CreateParameters, context: JobContext): Promise<void> {
  const created = recordedAt();
  const plan = await createMediaPlan(params);
  context.reporter.log('verbose', `Plan: ${plan.mediaType} to ${plan.targets.join(', ')}, label "${plan.label.text}"`);
  const boot = await openBootImage(plan.bootImage);
  try {
    context.reporter.log(
      'info',
      `Boot image ${boot.name}: "${boot.info.name}", ${boot.architecture}, version ${boot.info.version || "unknown"}, image ${boot.info.index} of ${boot.wim.images.length}.`,
    );
    checkArchitecture(plan.targetArchitecture, boot.architecture, boot.name);
    const results = await BUILDERS[plan.mediaType](plan, boot, created, context);
    for (const r of results) context.reporter.result(r);
  } finally {
    await boot.close();
  }
}
