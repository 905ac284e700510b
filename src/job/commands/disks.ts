// `disks` (Get-CaptureMediaDisk): every disk with the verdict `create --media-type usb` would give it.

import type { BridgeParams } from '../../bridge/schema.js';
import { listDisksWithVerdicts } from '../../disk/disk-rows.js';
import { platformDiskProvider } from '../../disk/platform.js';
import type { JobContext } from '../context.js';

export async function runDisks(params: BridgeParams, context: JobContext): Promise<void> {
  const provider = await platformDiskProvider(context.signal);
  try {
    const rows = await listDisksWithVerdicts(provider, { disksInUse: new Map(), requiredBytes: 0, allowFixedDisk: params.allowFixedDisk === true });
    for (const row of rows) context.reporter.result({ ...row });
  } finally {
    await provider.dispose?.();
  }
}
