// The disk provider for the platform we run on.

import { CaptureMediaError } from '../errors.js';
import type { DiskProvider } from './model.js';
import { LinuxDiskProvider } from './linux/provider.js';

export type DisposableDiskProvider = DiskProvider & { dispose?(): Promise<void> };

export async function platformDiskProvider(_signal?: AbortSignal): Promise<DisposableDiskProvider> {
  if (process.platform === 'linux') return new LinuxDiskProvider();
  throw new CaptureMediaError('NotImplemented', `USB disks are not supported on ${process.platform} yet; use --media-type usbimage and write the image with your imaging tool.`);
}
