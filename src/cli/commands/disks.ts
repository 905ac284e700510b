// `disks`: candidate target disks with the safety verdict for each.

import { CaptureMediaError } from '../../errors.js';
import type { BridgeParams } from '../../bridge/schema.js';
import type { JobContext } from '../context.js';

export async function runDisks(_params: BridgeParams, _context: JobContext): Promise<void> {
  throw new CaptureMediaError('NotImplemented', 'Listing disks is not implemented yet.');
}
