// LinuxDiskProvider: the DiskProvider (disk/model.ts) on Linux. Lists disks with lsblk, resolves
// what the user typed (/dev/sdb, /dev/loop3, /dev/disk/by-id/usb-…, or a bare "sdb") to one whole
// disk, and finds the disk under a file so the source, temp, output and log disks are never erased.
//
// Safety notes:
// - Symlinks are resolved with realpath before anything is judged, and the device is then looked
//   up by its major:minor (stat rdev), never by name: /dev/disk/by-id/x -> ../../sda is /dev/sda.
// - A partition (/dev/sdb1) is refused: we erase whole disks, and the message names the disk.
// - The system facts (active swap, devices holding /, /boot…) come from /proc/swaps and stat(2)
//   here, and are handed to the pure parseLsblk.

import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { CaptureMediaError, errnoCode } from '../../errors.js';
import type { DiskInfo, DiskProvider } from '../model.js';
import { majorMinorOf } from '../../io/dev-t.js';
import { sharesStorage, storageKeys, storageKeysOfPath } from './storage.js';
import {
  devicePath,
  parseLsblk,
  parseLsblkOutput,
  runLsblk,
  subtree,
  SYSTEM_MOUNTPOINTS,
  type LinuxDiskInfo,
  type LsblkDevice,
  type SystemFacts,
} from './lsblk.js';
import { parseMountinfo, unescapeOctal } from './mountinfo.js';

export { majorMinorOf } from '../../io/dev-t.js';
export { parseMountinfo } from './mountinfo.js';

export interface LinuxDiskProviderOptions {
  /** Returns `lsblk -J -b -O` output; replaced in tests. */
  readonly lsblk?: () => Promise<string>;
  /** Root of the proc and sys trees ('' normally); lets tests point at recorded copies. */
  readonly procRoot?: string;
  readonly sysRoot?: string;
}

export class LinuxDiskProvider implements DiskProvider {
  readonly #lsblk: () => Promise<string>;
  readonly #proc: string;
  readonly #sys: string;

  constructor(options: LinuxDiskProviderOptions = {}) {
    this.#lsblk = options.lsblk ?? (() => runLsblk());
    this.#proc = options.procRoot ?? '/proc';
    this.#sys = options.sysRoot ?? '/sys';
  }

  async list(): Promise<LinuxDiskInfo[]> {
    const json = await this.#lsblk();
    return parseLsblk(json, await this.systemFacts(json));
  }

  async resolve(target: string): Promise<LinuxDiskInfo> {
    // A bare kernel name ("sdb", "loop3") is what lsblk shows; accept it as /dev/<name>.
    const typed = target.includes('/') ? target : `/dev/${target}`;
    let real: string;
    try {
      real = await realpath(typed);
    } catch (error: unknown) {
      throw new CaptureMediaError('DiskNotFound', `${target}: no such device (${errnoCode(error) ?? String(error)}).`, { target, cause: error });
    }
    const stats = await stat(real).catch((error: unknown) => {
      throw new CaptureMediaError('DiskNotFound', `${target}: cannot stat ${real} (${errnoCode(error) ?? String(error)}).`, { target, cause: error });
    });
    const shown = real === typed ? target : `${target} (${real})`;
    if (!stats.isBlockDevice()) {
      throw new CaptureMediaError('DiskNotFound', `${shown} is not a block device; pass a whole disk such as /dev/sdb (use --media-type usbimage for an image file).`, { target });
    }
    const majorMinor = majorMinorOf(stats.rdev);
    const json = await this.#lsblk();
    const tree = parseLsblkOutput(json).blockdevices;
    const found = findWithTop(tree, majorMinor);
    if (found === undefined) throw new CaptureMediaError('DiskNotFound', `${shown} (${majorMinor}) is not listed by lsblk (no medium, or a loop device with no file attached).`, { target });
    const { node, top } = found;
    const nodeType = node.type ?? '';
    if (node !== top || (nodeType !== 'disk' && nodeType !== 'loop')) {
      const parent = devicePath(top);
      if (nodeType === 'part') {
        throw new CaptureMediaError(
          'InvalidParameter',
          `${shown} is a partition of ${parent}; pass the whole disk ${parent} (all of it is erased).`,
          { target },
        );
      }
      throw new CaptureMediaError('DiskNotFound', `${shown} is a ${nodeType || 'non-disk'} device on ${parent}, not a whole disk.`, { target });
    }
    const disk = parseLsblk(json, await this.systemFacts(json)).find((d) => d.majorMinor === majorMinor);
    if (disk === undefined) {
      // parseLsblk skips only empty loop devices.
      throw new CaptureMediaError('DiskNotFound', `${shown} has no medium (a loop device without a backing file).`, { target });
    }
    return disk;
  }

  async diskOfPath(path: string): Promise<string | undefined> {
    return (await this.disksOfPath(path))[0];
  }

  /**
   * Every whole disk under a file or folder (an LVM volume or RAID can span several). The path
   * need not exist yet (an output file): its nearest existing ancestor is used. Empty for tmpfs,
   * overlay, NFS and other file systems without a local block device.
   */
  async disksOfPath(path: string): Promise<string[]> {
    const existing = await nearestExisting(resolvePath(path));
    const tree = parseLsblkOutput(await this.#lsblk()).blockdevices;
    const majorMinor = majorMinorOf((await stat(existing)).dev);
    let disks = topsOf(tree, majorMinor);
    if (disks.length === 0) {
      // btrfs (and other multi-device file systems) report an anonymous st_dev (0:NN); the mount
      // table still names the source device.
      const source = await this.#mountSourceOf(existing);
      if (source !== undefined && source.startsWith('/dev/')) {
        const sourceStats = await stat(source).catch(() => undefined);
        if (sourceStats?.isBlockDevice()) disks = topsOf(tree, majorMinorOf(sourceStats.rdev));
      }
    }
    return disks;
  }

  async disksSharingStorage(uses: readonly (readonly [string, string])[]): Promise<Map<string, string>> {
    const used: { keys: Set<string>; what: string }[] = [];
    for (const [path, what] of uses) {
      const existing = await nearestExisting(resolvePath(path)).catch(() => undefined);
      if (existing !== undefined) used.push({ keys: await storageKeysOfPath(existing, this.#sys), what });
    }
    // Mounted file systems on block devices (major 0 is tmpfs, proc, overlay and the like). A mount
    // on the disk's own partitions is DiskMounted's business (and expected with -NoFormat); here
    // only the same storage under another name counts.
    const mounted: { majorMinor: string; keys: Set<string>; what: string }[] = [];
    for (const entry of parseMountinfo(await readFile(`${this.#proc}/self/mountinfo`, 'utf8').catch(() => ''))) {
      if (entry.majorMinor.startsWith('0:')) continue;
      mounted.push({ majorMinor: entry.majorMinor, keys: await storageKeys(entry.majorMinor, this.#sys), what: `the mounted file system ${entry.mountpoint} (${entry.source})` });
    }
    const json = await this.#lsblk();
    const tree = parseLsblkOutput(json).blockdevices;
    const found = new Map<string, string>();
    for (const disk of parseLsblk(json, await this.systemFacts(json))) {
      const own = new Set(tree.filter((top) => top['maj:min'] === disk.majorMinor).flatMap((top) => subtree(top).map((d) => d['maj:min'])));
      if (disk.majorMinor === undefined) continue;
      const keys = await storageKeys(disk.majorMinor, this.#sys);
      const hit = [...used, ...mounted.filter((m) => !own.has(m.majorMinor))].find((u) => sharesStorage(keys, u.keys));
      if (hit !== undefined) found.set(disk.path, `${hit.what}, under another device name: the same storage`);
    }
    return found;
  }

  async storageKeysOfDisk(disk: DiskInfo): Promise<ReadonlySet<string>> {
    const majorMinor = (disk as Partial<LinuxDiskInfo>).majorMinor;
    return majorMinor === undefined ? new Set([`path:${disk.path}`]) : storageKeys(majorMinor, this.#sys);
  }

  /** Active swap and the devices holding system mountpoints, for parseLsblk. */
  async systemFacts(lsblkJson?: string): Promise<SystemFacts> {
    const swapMajorMinors = new Set<string>();
    for (const entry of parseProcSwaps(await readFile(`${this.#proc}/swaps`, 'utf8').catch(() => ''))) {
      const stats = await stat(entry.filename).catch(() => undefined);
      if (stats === undefined) continue;
      // A swap partition is its own rdev; a swap file lives on the device of its file system.
      swapMajorMinors.add(majorMinorOf(entry.type === 'file' ? stats.dev : stats.isBlockDevice() ? stats.rdev : stats.dev));
    }
    const systemMajorMinors = new Set<string>();
    for (const mountpoint of SYSTEM_MOUNTPOINTS) {
      if (!mountpoint.startsWith('/')) continue;
      const stats = await stat(mountpoint).catch(() => undefined);
      if (stats === undefined) continue;
      // /usr and /var are usually plain folders on /; only a real mount adds information, which
      // stat cannot tell apart, so both simply name the device under them.
      systemMajorMinors.add(majorMinorOf(stats.dev));
    }
    const diskSeq = new Map<string, number>();
    if (lsblkJson !== undefined) {
      for (const device of parseLsblkOutput(lsblkJson).blockdevices) {
        const kname = device.kname ?? device.name;
        if (kname === undefined || kname === null) continue;
        const value = await readFile(`${this.#sys}/block/${kname}/diskseq`, 'utf8').catch(() => undefined);
        if (value !== undefined && /^\d+\s*$/.test(value)) diskSeq.set(kname, Number(value.trim()));
      }
    }
    return { swapMajorMinors, systemMajorMinors, diskSeq };
  }

  async #mountSourceOf(path: string): Promise<string | undefined> {
    const mountinfo = await readFile(`${this.#proc}/self/mountinfo`, 'utf8').catch(() => '');
    const real = await realpath(path);
    let best: { mountpoint: string; source: string } | undefined;
    for (const entry of parseMountinfo(mountinfo)) {
      const inside = real === entry.mountpoint || real.startsWith(entry.mountpoint === '/' ? '/' : `${entry.mountpoint}/`);
      // The last of equally long matches wins: later mounts shadow earlier ones.
      if (inside && (best === undefined || entry.mountpoint.length >= best.mountpoint.length)) best = entry;
    }
    return best?.source;
  }
}

export interface ProcSwapsEntry {
  readonly filename: string;
  readonly type: string;
}

/** /proc/swaps: a header line, then "Filename Type Size Used Priority" (spaces in names as \040). */
export function parseProcSwaps(text: string): ProcSwapsEntry[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 2 && fields[0] !== '')
    .map((fields) => ({ filename: unescapeOctal(fields[0]!), type: fields[1]! }));
}


async function nearestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch (error: unknown) {
      const parent = dirname(current);
      if (errnoCode(error) !== 'ENOENT' || parent === current) throw error;
      current = parent;
    }
  }
}

function findWithTop(tree: readonly LsblkDevice[], majorMinor: string): { node: LsblkDevice; top: LsblkDevice } | undefined {
  for (const top of tree) {
    const node = subtree(top).find((d) => d['maj:min'] === majorMinor);
    if (node !== undefined) return { node, top };
  }
  return undefined;
}

/** The top-level devices (disks) that carry `majorMinor` somewhere in their tree. */
function topsOf(tree: readonly LsblkDevice[], majorMinor: string): string[] {
  return tree.filter((top) => subtree(top).some((d) => d['maj:min'] === majorMinor)).map(devicePath);
}
