// `create`: validate into a MediaPlan, open the boot image, check its architecture and its drivers
// (src/drivers/check.ts: DriverMissing, warnings), open the SMS\ files of -Template or -ClientSource
// if given, then build the media for the chosen type and report what was built.

import type { BuildContext } from '../../build/context.js';
import type { BuildOutcome } from '../../build/result.js';
import { checkBootImageDrivers, parseRequirements } from '../../drivers/check.js';
import { checkArchitecture, type Architecture } from '../../plan/architecture.js';
import { createMediaPlan, type MediaPlan } from '../../plan/media-plan.js';
import type { CreateParameters } from '../../plan/parameters.js';
import { recordedAt } from '../../plan/recorded-at.js';
import { openBootImage, type OpenedBootImage } from '../../source/boot-image-source.js';
import type { ClientFiles } from '../../layout/media-tree.js';
import type { JobContext } from '../context.js';
import { settleOutcome } from '../settle-drives.js';

/** -Template or -ClientSource content, read once the boot image's architecture is known. */
async function openClientFiles(plan: MediaPlan, architecture: Architecture): Promise<{ clientFiles: ClientFiles; close(): Promise<void> } | undefined> {
  if (plan.template !== undefined) return (await import('../../source/template.js')).openTemplate(plan.template);
  if (plan.clientSource !== undefined) {
    const clientFiles = await (await import('../../source/client-source.js')).readClientSource(plan.clientSource, architecture);
    return { clientFiles, close: async () => undefined };
  }
  return undefined;
}

type MediaBuilder = (plan: MediaPlan, boot: OpenedBootImage, created: Date, context: BuildContext) => Promise<BuildOutcome>;

// Each builder is imported when it is chosen: the disk paths pull in execa and node-powershell,
// which an ISO build never needs, and loading them cost ~140 ms of start-up (docs/benchmarks.md).
const BUILDERS: Readonly<Record<MediaPlan['mediaType'], MediaBuilder>> = {
  CdDvd: async (...args) => (await import('../../build/build-iso-set.js')).buildIsoSet(...args),
  UsbImage: async (...args) => (await import('../../build/build-usb-image.js')).buildUsbImage(...args),
  Usb: async (plan, boot, created, context) => {
    if (!plan.format) return (await import('../../build/copy-onto-volume.js')).copyOntoVolume(plan, boot, created, context);
    const { buildUsbDrives } = await import('../../build/usb-drives.js');
    const strategy =
      process.platform === 'win32'
        ? (await import('../../build/usb-drives-windows.js')).windowsUsbStrategy(context.signal)
        : await (await import('../../build/usb-drives-linux.js')).linuxUsbStrategy(context.signal);
    return buildUsbDrives(plan, boot, created, context, strategy);
  },
};

export async function runCreate(params: CreateParameters, context: JobContext): Promise<void> {
  const created = recordedAt();
  const plan = await createMediaPlan(params);
  const requiredDevices = parseRequirements(params.requireHardwareId ?? []);
  context.reporter.log('verbose', `Plan: ${plan.mediaType} to ${plan.targets.join(', ')}, label "${plan.label.text}"`);
  const boot = await openBootImage(plan.bootImage);
  try {
    context.reporter.log(
      'info',
      `Boot image ${boot.name}: "${boot.info.name}", ${boot.architecture}, version ${boot.info.version || 'unknown'}, image ${boot.info.index} of ${boot.wim.images.length}.`,
    );
    checkArchitecture(plan.targetArchitecture, boot.architecture, boot.name);
    // Before any byte is written: a boot image without the reference computer's drivers fails here.
    await checkBootImageDrivers({ image: boot.image, architecture: boot.architecture, osVersion: boot.info.version || undefined, name: boot.name }, requiredDevices, context.reporter, context.signal);
    const client = await openClientFiles(plan, boot.architecture);
    try {
      if (client) context.reporter.log('info', `SMS\\ files: ${client.clientFiles.files.length} from the ${client.clientFiles.origin === 'Template' ? 'template' : 'client source'} ${client.clientFiles.where}; the boot image's sms\\bin is not used.`);
      const build: BuildContext = { reporter: context.reporter, signal: context.signal, logPath: context.logger.path };
      settleOutcome(await BUILDERS[plan.mediaType](plan, client ? { ...boot, clientFiles: client.clientFiles } : boot, created, build), context.reporter);
    } finally {
      await client?.close();
    }
  } finally {
    await boot.close();
  }
}
