// Boot image WIMs derived from the sample (scripts/make-sample-bootimage.sh) for the Secure Boot
// tests: the UEFI loader (Windows\Boot\EFI\bootmgfw.efi and the BOOTX64.EFI inside efisys.bin)
// replaced by a given EFI program, and optionally a 2023-shaped tree — Windows\Boot\EFI_EX,
// DVD_EX and FONTS_EX as an ADK of 2024-4B or later carries them, each file with its own
// stand-in bytes so a test can tell which variant reached the media. Built with real tools
// (mkfs.fat, mtools, wimlib-imagex); nothing here is Microsoft code.

import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

/** A FAT image holding `loader` as \EFI\BOOT\BOOTX64.EFI, as Windows' efisys.bin holds its boot manager. */
export async function makeEfisys(loader: string, output: string, label = 'EFISYS'): Promise<void> {
  await execa('mkfs.fat', ['--invariant', '-n', label, '-C', output, '4096']);
  await execa('mmd', ['-i', output, '::/EFI', '::/EFI/BOOT']);
  await execa('mcopy', ['-m', '-i', output, loader, '::/EFI/BOOT/BOOTX64.EFI']);
}

export interface VariantOptions {
  /** The sample's extracted tree (SampleBootImage.tree). */
  readonly sampleTree: string;
  readonly dir: string;
  /** Replaces Windows\Boot\EFI\bootmgfw.efi and efisys.bin's loader; the sample's GRUB when absent. */
  readonly loader?: string;
  /** Adds the _EX tree with these programs as bootmgfw_EX.efi (and in efisys_EX.bin) and bootmgr_EX.efi. */
  readonly ex?: { readonly bootmgfw: string; readonly bootmgr?: string };
}

export interface BootImageVariant {
  readonly tree: string;
  readonly wim: string;
}

export async function makeBootImageVariant(options: VariantOptions): Promise<BootImageVariant> {
  const tree = join(options.dir, 'tree');
  cpSync(options.sampleTree, tree, { recursive: true });
  const boot = join(tree, 'Windows', 'Boot');
  if (options.loader) {
    copyFileSync(options.loader, join(boot, 'EFI', 'bootmgfw.efi'));
    await makeEfisys(options.loader, join(options.dir, 'efisys.bin'));
    copyFileSync(join(options.dir, 'efisys.bin'), join(boot, 'DVD', 'EFI', 'en-US', 'efisys.bin'));
  }
  if (options.ex) {
    mkdirSync(join(boot, 'EFI_EX'), { recursive: true });
    copyFileSync(options.ex.bootmgfw, join(boot, 'EFI_EX', 'bootmgfw_EX.efi'));
    if (options.ex.bootmgr) copyFileSync(options.ex.bootmgr, join(boot, 'EFI_EX', 'bootmgr_EX.efi'));
    mkdirSync(join(boot, 'DVD_EX', 'EFI', 'en-US'), { recursive: true });
    await makeEfisys(options.ex.bootmgfw, join(boot, 'DVD_EX', 'EFI', 'en-US', 'efisys_EX.bin'), 'EFISYS_EX');
    mkdirSync(join(boot, 'FONTS_EX'), { recursive: true });
    for (const font of ['segmono_boot', 'wgl4_boot']) {
      writeFileSync(join(boot, 'FONTS_EX', `${font}_EX.ttf`), `CAPTURE-MEDIA PLACEHOLDER 2023 font ${font}_EX.ttf\r\n`);
    }
    writeFileSync(join(boot, 'EFI', 'boot.stl'), 'CAPTURE-MEDIA PLACEHOLDER boot.stl\r\n');
  }
  const wim = join(options.dir, 'boot.wim');
  await execa('wimlib-imagex', ['capture', tree, wim, 'Microsoft Windows PE (x64)', '--boot', '--compress=lzx', '--image-property', 'WINDOWS/ARCH=9']);
  return { tree, wim };
}
