// Small WinPE-shaped WIMs made with the real wimlib-imagex (Debian wimtools), for layout and
// media tests that need a boot image but not a bootable one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const WINPE_BOOT_FILES: Readonly<Record<string, number>> = {
  'Windows/Boot/PCAT/bootmgr': 40_000,
  'Windows/Boot/EFI/bootmgfw.efi': 30_000,
  'Windows/Boot/EFI/bootmgr.efi': 30_000,
  'Windows/Boot/DVD/EFI/BCD': 16_384,
  'Windows/Boot/DVD/EFI/en-US/efisys.bin': 1_474_560,
  'Windows/Boot/DVD/PCAT/BCD': 16_384,
  'Windows/Boot/DVD/PCAT/boot.sdi': 100_000,
  'Windows/Boot/DVD/PCAT/etfsboot.com': 4_096,
  'Windows/Boot/Fonts/segmono_boot.ttf': 2_000,
  'Windows/Boot/Fonts/wgl4_boot.ttf': 3_000,
  'sms/bin/x64/TsmBootstrap.exe': 5_000,
  'sms/bin/x64/en-US/TsRes.dll.mui': 700,
  'Windows/System32/winpeshl.ini': 100,
};

export interface WimFixtureOptions {
  readonly arch?: number; // WIM XML ARCH: 0 x86, 9 x64, 12 arm64
  readonly omit?: readonly string[];
  readonly extra?: Readonly<Record<string, number>>;
  /** Files of repeated text: large on the medium, tiny in the WIM (for disc-set tests). */
  readonly compressible?: Readonly<Record<string, number>>;
  /** Sparse files of zeros (a 5 GiB file for the FAT32 4 GiB rule without writing 5 GiB). */
  readonly sparse?: Readonly<Record<string, number>>;
}

/** Build tree + WIM under `dir`; returns the WIM path. Content is random (seeded per call) so files differ. */
export function makeWinPeWim(dir: string, options: WimFixtureOptions = {}): string {
  const tree = join(dir, 'tree');
  const files = { ...WINPE_BOOT_FILES, ...options.extra };
  for (const [path, size] of Object.entries(files)) {
    if (options.omit?.includes(path)) continue;
    const full = join(tree, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, randomBytes(size));
  }
  for (const [path, size] of Object.entries(options.compressible ?? {})) {
    const full = join(tree, path);
    mkdirSync(dirname(full), { recursive: true });
    const line = Buffer.from(`${path} capture-media compressible fixture line\n`);
    writeFileSync(full, Buffer.alloc(size, line));
  }
  for (const [path, size] of Object.entries(options.sparse ?? {})) {
    const full = join(tree, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '');
    truncateSync(full, size);
  }
  const wim = join(dir, 'boot.wim');
  execFileSync('wimlib-imagex', ['capture', tree, wim, 'Microsoft Windows PE', '--compress=XPRESS', '--boot', '--image-property', `WINDOWS/ARCH=${options.arch ?? 9}`], {
    stdio: 'ignore',
  });
  return wim;
}
