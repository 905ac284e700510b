// `boot-images`: list boot images in .wim files (every image in each) or in content libraries
// (every boot image package, described from its WIM's XML).

import { basename, resolve } from 'node:path';
import { CaptureMediaError } from '../../errors.js';
import { describeBootImage } from '../../source/describe-boot-image.js';
import { describeBootImageSigners } from '../../source/boot-image-signers.js';
import { listBootImages } from '../../source/boot-image.js';
import { checkContentLibraryAccess } from '../../source/content-library.js';
import { openWim } from '../../wim/index.js';
import type { JobContext } from '../context.js';
import type { CommandParams } from './params.js';

export type BootImagesParams = Pick<CommandParams, 'distributionPoint' | 'path' | 'drivers' | 'driverClass'>;

export async function runBootImages(params: BootImagesParams, context: JobContext): Promise<void> {
  const roots = params.distributionPoint ?? [];
  const files = params.path ?? [];
  if (roots.length === 0 && files.length === 0) {
    throw new CaptureMediaError('InvalidParameter', 'boot-images needs --distribution-point DIR (a content library root) or --path boot.wim.');
  }
  if (params.driverClass !== undefined && params.drivers !== true) {
    throw new CaptureMediaError('ParameterConflict', '--driver-class only applies with --drivers (-DriverClass with -Drivers).');
  }
  if (params.drivers === true) return (await import('./boot-image-drivers.js')).runBootImageDrivers(params, context);
  for (const file of files) {
    const wim = await openWim(resolve(file));
    try {
      for (const image of wim.images) {
        context.reporter.result({
          Id: `${basename(file)}:${image.index}`,
          Name: image.name,
          Description: image.description,
          Architecture: image.architecture,
          Version: image.version,
          Index: image.index,
          Boot: image.index === wim.bootIndex || (wim.bootIndex === 0 && image.index === 1),
          Size: wim.sizeBytes,
          Path: resolve(file),
          ContentVersion: null,
          Sha256: null,
          ...(await describeBootImageSigners(await wim.openImage(image.index))),
        });
      }
    } finally {
      await wim.close();
    }
  }
  if (roots.length > 0) {
    const absolute = roots.map((r) => resolve(r));
    await checkContentLibraryAccess(absolute);
    const packages = await listBootImages(absolute, {
      onSkipped: (packageId, error) => context.reporter.log('warning', `Package ${packageId} was skipped: ${error.message}`),
    });
    for (const pkg of packages) {
      const d = await describeBootImage(pkg);
      context.reporter.result({
        Id: d.packageId,
        Name: d.name,
        Description: d.description,
        Architecture: d.architecture,
        Version: d.osVersion,
        Index: d.imageIndex,
        Boot: true,
        Size: d.sizeBytes,
        Path: d.blobPath,
        ContentVersion: d.version,
        Sha256: d.sha256,
        ...d.signers,
      });
    }
  }
}
