// Test-side media recipes built from REAL tools (wimlib-imagex, xorriso,
// sfdisk, mkfs.fat, mtools), used to prove the sample boot image and the QEMU
// harness independently of our own WIM/ISO/FAT code. Each step is a separate
// function so a test can swap one for our implementation (an IsoBuilder or
// UsbImageBuilder with the same signature).
import { execa } from 'execa';
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const BIOS_MARKER = 'CAPTURE-MEDIA-BIOS-BOOT-OK';
export const UEFI_MARKER = 'CAPTURE-MEDIA-UEFI-BOOT-OK';
/** Printed by the UEFI stand-in when it booted but found no /sources/boot.wim. */
export const UEFI_NO_WIM_MARKER = 'CAPTURE-MEDIA-UEFI-BOOT-NO-WIM';

export interface SampleBootImage {
  outDir: string;
  /** The captured tree (what is inside the WIM). */
  tree: string;
  /** LZX, bootable image 1. */
  wim: string;
}

/** Runs scripts/make-sample-bootimage.sh into outDir. */
export async function makeSampleBootImage(outDir: string): Promise<SampleBootImage> {
  await execa('bash', [join(REPO_ROOT, 'scripts/make-sample-bootimage.sh'), outDir]);
  return { outDir, tree: join(outDir, 'tree'), wim: join(outDir, 'boot.wim') };
}

/** Extracts image `index` of a WIM into dest with wimlib-imagex. */
export async function extractWim(wim: string, dest: string, index = 1): Promise<void> {
  await execa('wimlib-imagex', ['apply', wim, String(index), dest, '--no-acls']);
}

/**
 * Lays out capture media from an extracted boot image tree, per README "What is on the media"
 * section 4 (x64). `wim` is copied byte for byte to sources/boot.wim unless
 * `omitWim` (for negative tests). Returns the paths written, relative to dest.
 */
export async function layoutMedia(
  extracted: string,
  wim: string,
  dest: string,
  options: { label: string; omitWim?: boolean },
): Promise<string[]> {
  const written: string[] = [];
  const put = async (from: string, to: string): Promise<void> => {
    const target = join(dest, to);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(from, target);
    written.push(to);
  };
  const boot = join(extracted, 'Windows/Boot');
  await put(join(boot, 'PCAT/bootmgr'), 'bootmgr');
  await put(join(boot, 'EFI/bootmgr.efi'), 'bootmgr.efi');
  await put(join(boot, 'EFI/bootmgfw.efi'), 'efi/boot/bootx64.efi');
  await put(join(boot, 'DVD/EFI/BCD'), 'efi/microsoft/boot/bcd');
  await put(join(boot, 'DVD/EFI/en-US/efisys.bin'), 'efi/microsoft/boot/efisys.bin');
  await put(join(boot, 'DVD/PCAT/BCD'), 'boot/bcd');
  await put(join(boot, 'DVD/PCAT/boot.sdi'), 'boot/boot.sdi');
  await put(join(boot, 'DVD/PCAT/etfsboot.com'), 'boot/etfsboot.com');
  for (const font of (await readdir(join(boot, 'Fonts'))).sort()) {
    await put(join(boot, 'Fonts', font), `boot/fonts/${font}`);
    await put(join(boot, 'Fonts', font), `efi/microsoft/boot/fonts/${font}`);
  }
  if (!options.omitWim) await put(wim, 'sources/boot.wim');
  const sms = join(extracted, 'sms/bin/x64');
  for (const file of await walk(sms)) await put(join(sms, file), `SMS/bin/x64/${file}`);
  await mkdir(join(dest, 'SMS/data'), { recursive: true });
  await writeFile(join(dest, 'SMS/data/TsmBootstrap.ini'), '[MediaInfo]\r\nMediaType=CaptureMedia\r\n');
  written.push('SMS/data/TsmBootstrap.ini');
  await writeFile(join(dest, 'MediaLabel.txt'), `label=${options.label}\r\n`);
  written.push('MediaLabel.txt');
  return written;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)).map((f) => `${entry.name}/${f}`));
    else out.push(relative(dir, path));
  }
  return out;
}

/** Builds a bootable ISO from a laid-out media directory. */
export type IsoBuilder = (layoutDir: string, isoPath: string, label: string) => Promise<void>;

/**
 * The reference ISO recipe: El Torito entry 1 BIOS no-emulation boot/etfsboot.com
 * (8 sectors), entry 2 UEFI no-emulation efi/microsoft/boot/efisys.bin.
 */
export const buildIsoWithXorriso: IsoBuilder = async (layoutDir, isoPath, label) => {
  await execa('xorriso', [
    '-as', 'mkisofs',
    '-iso-level', '3',
    '-J',
    '-V', label,
    '-b', 'boot/etfsboot.com', '-no-emul-boot', '-boot-load-size', '8',
    '-eltorito-alt-boot',
    '-e', 'efi/microsoft/boot/efisys.bin', '-no-emul-boot',
    '-o', isoPath,
    layoutDir,
  ], { env: { SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '1700000000' } });
};

/** Builds a raw USB disk image (MBR + one FAT32 partition) from a laid-out media directory. */
export type UsbImageBuilder = (layoutDir: string, imagePath: string, label: string) => Promise<void>;

/**
 * The reference USB recipe: 64 MiB disk, MBR, one active partition type 0x0C
 * at 1 MiB, FAT32 (mkfs.fat), files copied with mcopy.
 */
export const buildUsbImageWithMtools: UsbImageBuilder = async (layoutDir, imagePath, label) => {
  const diskMiB = 64;
  const startSector = 2048;
  const partition = `${imagePath}.part`;
  try {
    await rm(imagePath, { force: true });
    await execa('truncate', ['-s', `${diskMiB}M`, imagePath]);
    await execa('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', imagePath], {
      input: `label: dos\nlabel-id: 0x43415054\nstart=${startSector}, type=c, bootable\n`,
    });
    const partBytes = (await stat(imagePath)).size - startSector * 512;
    await rm(partition, { force: true });
    await execa('truncate', ['-s', String(partBytes), partition]);
    const fatLabel = label.toUpperCase().replace(/[^A-Z0-9 _-]/g, '_').slice(0, 11);
    await execa('mkfs.fat', ['-F', '32', '-h', String(startSector), '-n', fatLabel, '--invariant', '-i', '43415054', partition]);
    const entries = (await readdir(layoutDir)).sort().map((name) => join(layoutDir, name));
    await execa('mcopy', ['-s', '-m', '-i', partition, ...entries, '::/']);
    await execa('dd', [`if=${partition}`, `of=${imagePath}`, 'bs=1M', `seek=${startSector * 512}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none']);
  } finally {
    await rm(partition, { force: true });
  }
};
