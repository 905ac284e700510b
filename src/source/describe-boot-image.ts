// Name, architecture and version of a boot image package, read from its WIM's XML.
//
// Kept apart from boot-image.ts so that finding and listing packages never loads the WIM reader:
// only `boot-images` (Get-CaptureMediaBootImage) needs the XML. The FileLib blob is the WIM byte
// for byte (Microsoft's "The content library" doc: FileLib stores each file whole), so the WIM
// reader opens it in place. The image used is the boot index, or 1 when there is
// none.

import { CaptureMediaError } from '../errors.js';
import { openWim, type WimFile } from '../wim/index.js';
import type { BootImageInfo } from './boot-image.js';
import { describeBootImageSigners, type BootImageSigners } from './boot-image-signers.js';

type WimImage = WimFile['images'][number];

export interface BootImageDescription extends BootImageInfo {
  /** Index of the image the media boots (the WIM's boot index, else 1). */
  readonly imageIndex: number;
  readonly name: WimImage['name'];
  readonly description: WimImage['description'];
  readonly architecture: WimImage['architecture'];
  /** Windows version of the image (from the WIM XML), not the content version. */
  readonly osVersion: WimImage['version'];
  readonly images: readonly WimImage[];
  /** Who signed the image's UEFI boot managers (2011 and, when present, 2023). */
  readonly signers: BootImageSigners;
}

/** Open the package's WIM, read what the console shows for a boot image, and always close it. */
export async function describeBootImage(pkg: BootImageInfo): Promise<BootImageDescription> {
  const wim = await openWim(pkg.blobPath);
  try {
    const images = [...wim.images];
    const wanted = wim.bootIndex > 0 ? wim.bootIndex : 1;
    const image = images.find((i) => i.index === wanted) ?? images[0];
    if (!image) {
      // A WIM with no image cannot boot: that is a WIM problem, so the WIM's error id.
      throw new CaptureMediaError('WimInvalid', `The boot image WIM of package ${pkg.packageId} (${pkg.blobPath}) holds no image.`, {
        target: pkg.blobPath,
      });
    }
    return {
      ...pkg,
      imageIndex: image.index,
      name: image.name,
      description: image.description,
      architecture: image.architecture,
      osVersion: image.version,
      images,
      signers: await describeBootImageSigners(await wim.openImage(image.index)),
    };
  } finally {
    await wim.close();
  }
}
