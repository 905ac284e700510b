// `verify`: re-verify written media against its manifest.

import { CaptureMediaError } from '../../errors.js';
import type { BridgeParams } from '../../bridge/schema.js';
import type { JobContext } from '../context.js';

export async function runVerify(params: BridgeParams, _context: JobContext): Promise<void> {
  if (!params.path?.length) throw new CaptureMediaError('InvalidParameter', 'verify needs --path (an ISO, an image file or a drive).');
  throw new CaptureMediaError('NotImplemented', 'Verifying media is not implemented yet.');
}
