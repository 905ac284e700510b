// `disks` (Get-CaptureMediaDisk): every disk with the verdict `create --media-type usb` would give it.

import { listDisksWithVerdicts } from '../../disk/disk-rows.js';
import { platformDiskProvider } from '../../disk/platform.js';
import type { JobContext } from '../context.js';
import type { CommandParams } from './params.js';

export type DisksParams = Pick<CommandParams, 'allowFixedDisk'>;

export async function runDisks(params: DisksParams, context: JobContext): Promise<void> {
  const provider = await platformDiskProvider(context.signal);
  try {
    const rows = await listDisksWithVerdicts(provider, { disksInUse: new Map(), requiredBytes: 0, allowFixedDisk: params.allowFixedDisk === true });
    for (const row of rows) context.reporter.result({ ...row });
  } finally {
    await provider.dispose?.();
  }
}
