// Real loop devices for the Linux disk tests (needs root). Everything attached or mounted through
// a LoopLab is undone by cleanup(), which the tests call from after(); leftovers() lets the suite
// assert that nothing is left behind.

import { mkdtemp, rm, truncate, writeFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export class LoopLab {
  readonly #loops = new Set<string>();
  readonly #mounts: string[] = [];

  private constructor(readonly dir: string) {}

  static async create(): Promise<LoopLab> {
    return new LoopLab(await mkdtemp(join(tmpdir(), 'capture-media-loop-')));
  }

  /** A sparse file of `sizeBytes`. */
  async image(name: string, sizeBytes: number): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, '');
    await truncate(path, sizeBytes);
    return path;
  }

  /** losetup -f --show [-P]: the first free loop device on `file`. */
  async attach(file: string, options: { partscan?: boolean; device?: string } = {}): Promise<string> {
    let device: string;
    if (options.device !== undefined) {
      await execa('losetup', [...(options.partscan ? ['-P'] : []), options.device, file]);
      device = options.device;
    } else {
      device = (await execa('losetup', ['-f', '--show', ...(options.partscan ? ['-P'] : []), file])).stdout.trim();
    }
    this.#loops.add(device);
    if (options.partscan) await this.#waitForPartitions(device);
    return device;
  }

  async detach(device: string): Promise<void> {
    await execa('losetup', ['-d', device]);
    this.#loops.delete(device);
  }

  /** A disk image with one MBR partition (type 83) filling it, attached with partitions and formatted ext4. */
  async partitionedExt4(name: string, sizeBytes: number): Promise<{ device: string; partition: string }> {
    const file = await this.image(name, sizeBytes);
    await execa('sfdisk', ['-q', file], { input: 'label: dos\n,,83\n' });
    const device = await this.attach(file, { partscan: true });
    const partition = `${device}p1`;
    // No lazy inode-table or journal init: a background writer would change the disk under tests
    // that assert it is unchanged.
    await execa('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', partition]);
    return { device, partition };
  }

  async mount(device: string, name: string): Promise<string> {
    const mountpoint = join(this.dir, name);
    await execa('mkdir', ['-p', mountpoint]);
    await execa('mount', [device, mountpoint]);
    this.#mounts.push(mountpoint);
    return mountpoint;
  }

  async unmount(mountpoint: string): Promise<void> {
    await execa('umount', [mountpoint]);
    this.#mounts.splice(this.#mounts.indexOf(mountpoint), 1);
  }

  async cleanup(): Promise<void> {
    for (const mountpoint of this.#mounts.reverse()) await execa('umount', [mountpoint], { reject: false });
    this.#mounts.length = 0;
    for (const device of this.#loops) await execa('losetup', ['-d', device], { reject: false });
    this.#loops.clear();
    // Also anything attached to our files by a test that failed before it registered the device.
    for (const device of await this.leftoverLoops()) await execa('losetup', ['-d', device], { reject: false });
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Loop devices still backed by a file in our folder. */
  async leftoverLoops(): Promise<string[]> {
    const { stdout } = await execa('losetup', ['-a'], { reject: false });
    return stdout
      .split('\n')
      .filter((line) => line.includes(this.dir))
      .map((line) => line.slice(0, line.indexOf(':')));
  }

  /** Mounts under our folder still in the mount table. */
  async leftoverMounts(): Promise<string[]> {
    const mounts = await readFile('/proc/self/mounts', 'utf8');
    return mounts
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((mountpoint) => mountpoint.startsWith(this.dir));
  }

  async #waitForPartitions(device: string): Promise<void> {
    // Some kernels (this VM's among them) do not scan at attach; partx -a adds the partitions.
    if (!existsSync(`${device}p1`)) await execa('partx', ['-a', device], { reject: false });
    for (let i = 0; i < 50 && !existsSync(`${device}p1`); i++) await new Promise((r) => setTimeout(r, 20));
  }
}
