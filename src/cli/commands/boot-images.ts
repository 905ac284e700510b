// `boot-images`: list boot images in .wim files or in content libraries.

import { CaptureMediaError } from '../../errors.js';
import type { BridgeParams } from '../../bridge/schema.js';
import type { JobContext } from '../context.js';

export async function runBootImages(params: BridgeParams, _context: JobContext): Promise<void> {
  if (!params.distributionPoint?.length && !params.path?.length) {
    throw new CaptureMediaError('InvalidParameter', 'boot-images needs --distribution-point DIR or --path boot.wim.');
  }
  throw new CaptureMediaError('NotImplemented', 'Listing boot images is not implemented yet.');
}
