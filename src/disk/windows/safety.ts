// The safety verdict for a Windows disk: judgeDisk (src/disk/model.ts) with one Windows fact.
//
// On Windows every USB stick with a file system has a drive letter: the mount manager assigns
// one on arrival. judgeDisk treats any mountpoint as DiskMounted (right on Linux, where a
// mounted file system is a live writer the kernel will not let go of). On Windows the wizard and
// we erase through diskpart, whose `clean` removes the partitions and their volumes — Windows
// dismounts them as part of it — so a drive letter is not a reason to refuse. Everything that
// matters more is still refused first, in judgeDisk's order: system disk, a disk holding the
// source/temp/output/log (disksInUse), offline/read-only, not removable, too small.

import { judgeDisk, type DiskInfo, type DiskVerdict, type SafetyContext } from '../model.js';

export function judgeWindowsDisk(disk: DiskInfo, context: SafetyContext): DiskVerdict {
  return judgeDisk(disk, { ...context, mountsReleasedByWipe: true });
}
