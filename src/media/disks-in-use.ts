// Disks a job reads from or writes to besides its targets: never to be erased (DESIGN.md §1:
// "never … a disk holding the source, temp, output or log").

import { dirname } from 'node:path';
import type { DiskProvider } from '../disk/model.js';
import type { MediaPlan } from '../plan/media-plan.js';
import type { OpenedBootImage } from './boot-image-source.js';

export async function disksInUse(provider: DiskProvider, plan: MediaPlan, boot: OpenedBootImage): Promise<Map<string, string>> {
  const uses: [string, string][] = [
    [boot.location, `the boot image (${boot.location})`],
    [plan.temporaryFolder, `the temporary folder (${plan.temporaryFolder})`],
    [process.cwd(), `the current folder (${process.cwd()})`],
  ];
  if (plan.bootImage.kind === 'package') for (const dp of plan.bootImage.distributionPoints) uses.push([dp, `the content library (${dp})`]);
  if (plan.logPath) uses.push([dirname(plan.logPath), `the log (${plan.logPath})`]);
  // A console-made capture stick used as the template is the likeliest disk to be named by mistake.
  if (plan.template) uses.push([plan.template, `the template (${plan.template})`]);
  if (plan.clientSource) uses.push([plan.clientSource, `the client source (${plan.clientSource})`]);
  const map = new Map<string, string>();
  for (const [path, what] of uses) {
    const disk = await provider.diskOfPath(path);
    if (disk !== undefined && !map.has(disk)) map.set(disk, what);
  }
  // The same storage under another name (a second loop device on one image file, multipath, dm):
  // device numbers alone do not show it.
  for (const [disk, what] of (await provider.disksSharingStorage?.(uses)) ?? []) if (!map.has(disk)) map.set(disk, what);
  return map;
}
