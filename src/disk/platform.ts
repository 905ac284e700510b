// The disk provider for the platform we run on.

import { CaptureMediaError } from '../errors.js';
import type { DiskProvider } from './model.js';
import { LinuxDiskProvider } from './linux/provider.js';
import { NodePowerShellSession, WindowsDiskProvider } from './windows/index.js';

export type DisposableDiskProvider = DiskProvider & { dispose?(): Promise<void> };

export async function platformDiskProvider(signal?: AbortSignal): Promise<DisposableDiskProvider> {
  if (process.platform === 'linux') return new LinuxDiskProvider();
  if (process.platform === 'win32') {
    const session = new NodePowerShellSession(signal ? { signal } : {});
    const provider: DisposableDiskProvider = new WindowsDiskProvider(session);
    provider.dispose = () => session.dispose();
    return provider;
  }
  throw new CaptureMediaError('NotImplemented', `USB disks are not supported on ${process.platform}; use --media-type usbimage and write the image with your imaging tool.`);
}
