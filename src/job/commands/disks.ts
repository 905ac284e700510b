// `disks` (Get-CaptureMediaDisk): every disk with the verdict `create --media-type usb` would give it.

import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { listDisksWithVerdicts } from '../../disk/disk-rows.js';
import { platformDiskProvider } from '../../disk/platform.js';
import type { JobContext } from '../context.js';
import type { CommandParams } from './params.js';

export type DisksParams = Pick<CommandParams, 'allowFixedDisk' | 'logPath'>;

export async function runDisks(params: DisksParams, context: JobContext): Promise<void> {
  const provider = await platformDiskProvider(context.signal);
  try {
    // What create would find in use without a plan: the current folder, the default temporary
    // folder, the log, and (Linux) the same storage under another name as any of them or any mount.
    const uses: [string, string][] = [
      [process.cwd(), `the current folder (${process.cwd()})`],
      [tmpdir(), `the temporary folder (${tmpdir()})`],
    ];
    if (params.logPath !== undefined) uses.push([dirname(params.logPath), `the log (${params.logPath})`]);
    const inUse = new Map<string, string>();
    for (const [path, what] of uses) {
      const disk = await provider.diskOfPath(path).catch(() => undefined);
      if (disk !== undefined && !inUse.has(disk)) inUse.set(disk, what);
    }
    for (const [disk, what] of (await provider.disksSharingStorage?.(uses)) ?? []) if (!inUse.has(disk)) inUse.set(disk, what);
    const rows = await listDisksWithVerdicts(provider, { disksInUse: inUse, requiredBytes: 0, allowFixedDisk: params.allowFixedDisk === true });
    for (const row of rows) context.reporter.result({ ...row });
  } finally {
    await provider.dispose?.();
  }
}
