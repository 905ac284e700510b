// -BootImage is either a ConfigMgr package id (read from a distribution point's content library)
// or a path to a .wim file.

import { resolve } from 'node:path';
import { CaptureMediaError } from '../errors.js';
import { PACKAGE_ID_PATTERN } from '../source/pkglib.js';
import { statOrUndefined } from './paths.js';


export type BootImageRef =
  | { readonly kind: 'package'; readonly packageId: string; readonly distributionPoints: readonly string[] }
  | { readonly kind: 'file'; readonly path: string };

export async function resolveBootImageRef(bootImage: string, distributionPoints: readonly string[]): Promise<BootImageRef> {
  const s = await statOrUndefined(bootImage);
  if (s?.isFile()) {
    if (distributionPoints.length > 0) {
      throw new CaptureMediaError(
        'ParameterConflict',
        `-BootImage "${bootImage}" is a file, so -DistributionPoint is not used. Give a package id (e.g. PS100004) with -DistributionPoint, or a .wim path alone.`,
        { target: bootImage },
      );
    }
    return { kind: 'file', path: resolve(bootImage) };
  }
  if (s?.isDirectory()) {
    throw new CaptureMediaError('InvalidParameter', `-BootImage "${bootImage}" is a folder; give a .wim file or a package id.`, { target: bootImage });
  }
  if (s !== undefined) {
    // A FIFO, socket or device: reading it could block forever, and it is no WIM file.
    throw new CaptureMediaError('WimInvalid', `-BootImage "${bootImage}" is not a regular file (a FIFO, socket or device); give a .wim file or a package id.`, { target: bootImage });
  }
  if (PACKAGE_ID_PATTERN.test(bootImage)) {
    if (distributionPoints.length === 0) {
      throw new CaptureMediaError(
        'ParameterConflict',
        `-BootImage ${bootImage} is a package id, which needs -DistributionPoint (a content library root such as \\\\dp01\\SCCMContentLib$).`,
        { target: bootImage },
      );
    }
    return { kind: 'package', packageId: bootImage.toUpperCase(), distributionPoints: distributionPoints.map((d) => resolve(d)) };
  }
  if (/\.wim$/i.test(bootImage)) {
    throw new CaptureMediaError('BootImageNotFound', `The boot image file "${bootImage}" does not exist.`, { target: bootImage });
  }
  throw new CaptureMediaError(
    'InvalidParameter',
    `-BootImage "${bootImage}" is neither an existing .wim file nor a package id like PS100004.`,
    { target: bootImage },
  );
}
