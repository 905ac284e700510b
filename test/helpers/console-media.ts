// Stand-ins for what only a real ConfigMgr site has, built by real tools for the -Template,
// -ClientSource and compare tests (issue 18). Every .exe/.dll here is a STAND-IN: a few bytes of
// labelled text, distinct per file, never a Microsoft binary.
//
// - clientSourceFolder: shaped like <ConfigMgr install>\OSD\bin (i386, x64, language folders).
// - consoleTemplateTree: a capture medium as the console lays it out: boot files, sources\boot.wim,
//   an SMS\ tree with the launcher and wizard stand-ins, a language folder, a TsmBootstrap.ini with
//   keys we would never generate, and an autorun.inf.
// - isoFromTree (xorriso, ISO 9660 + Joliet + El Torito as the console writes CD media),
//   udfBridgeIso (genisoimage -udf: ISO 9660 + UDF 1.02, like oscdimg -u1), and udfOnlyIso: the
//   same bridge image with its ISO 9660 and Joliet roots re-pointed at a folder that holds only a
//   readme, so that, like oscdimg -u2 media, only the UDF side has the content.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDirectoryExtent } from '../../src/iso/directory-record.js';

const put = (root: string, path: string, bytes: string | Buffer) => {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes);
};

const standIn = (name: string, arch: string) => `STAND-IN for ${name} (${arch}), not a Microsoft binary: capture-media test fixture\r\n`;

export const TEMPLATE_TSM_BOOTSTRAP = '[MediaInfo]\r\nMediaType=CaptureFixture\r\nPasswordRequired=false\r\nNeverGeneratedByUs=fixture-value\r\n';

export function clientSourceFolder(root: string): string {
  for (const arch of ['i386', 'x64']) {
    for (const name of ['TSMBAutorun.exe', 'OsdCaptureCd.exe', 'OSDCore.dll', 'TsRes.dll']) put(root, `${arch}/${name}`, standIn(name, arch));
    put(root, `${arch}/00000409/TsRes.dll`, standIn('TsRes.dll en-US', arch));
  }
  return root;
}

/** The console's capture medium tree, boot files taken from an extracted boot image tree (`extracted`). */
export function consoleTemplateTree(root: string, bootWim: string, extracted: string): string {
  const boot = join(extracted, 'Windows/Boot');
  const copy = (from: string, to: string) => {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(join(boot, from), join(root, to));
  };
  copy('PCAT/bootmgr', 'bootmgr');
  copy('EFI/bootmgr.efi', 'bootmgr.efi');
  copy('EFI/bootmgfw.efi', 'efi/boot/bootx64.efi');
  copy('DVD/EFI/BCD', 'efi/microsoft/boot/bcd');
  copy('DVD/EFI/en-US/efisys.bin', 'efi/microsoft/boot/efisys.bin');
  copy('DVD/PCAT/BCD', 'boot/bcd');
  copy('DVD/PCAT/boot.sdi', 'boot/boot.sdi');
  copy('DVD/PCAT/etfsboot.com', 'boot/etfsboot.com');
  for (const font of readdirSync(join(boot, 'Fonts'))) {
    copy(`Fonts/${font}`, `boot/fonts/${font}`);
    copy(`Fonts/${font}`, `efi/microsoft/boot/fonts/${font}`);
  }
  mkdirSync(join(root, 'sources'), { recursive: true });
  copyFileSync(bootWim, join(root, 'sources/boot.wim'));
  for (const name of ['TSMBAutorun.exe', 'OsdCaptureCd.exe', 'OSDCore.dll', 'TsmBootstrap.exe', 'msvcp140.dll']) put(root, `SMS/bin/x64/${name}`, standIn(name, 'x64 template'));
  put(root, 'SMS/bin/x64/00000409/TsRes.dll', standIn('TsRes.dll en-US', 'x64 template'));
  put(root, 'SMS/data/TsmBootstrap.ini', TEMPLATE_TSM_BOOTSTRAP);
  put(root, 'autorun.inf', '[autorun]\r\nopen=SMS\\bin\\x64\\TSMBAutorun.exe\r\nlabel=Template fixture\r\n');
  put(root, 'MediaLabel.txt', 'label=Configuration Manager\r\n');
  return root;
}

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };

/** ISO 9660 + Joliet with BIOS and UEFI El Torito entries, as the console writes CD media. */
export function isoFromTree(tree: string, iso: string, options: { label?: string; biosLoadSectors?: number } = {}): string {
  execFileSync('xorriso', [
    '-as', 'mkisofs', '-iso-level', '3', '-J', '-joliet-long', '-V', options.label ?? 'CONFIGURATION_MANAGER',
    '-b', 'boot/etfsboot.com', '-no-emul-boot', '-boot-load-size', String(options.biosLoadSectors ?? 8),
    '-eltorito-alt-boot', '-e', 'efi/microsoft/boot/efisys.bin', '-no-emul-boot', '--boot-catalog-hide',
    '-o', iso, tree,
  ], { stdio: 'ignore', env });
  return iso;
}

/** ISO 9660 + Joliet + UDF 1.02 bridge made by genisoimage. */
export function udfBridgeIso(tree: string, iso: string): string {
  execFileSync('genisoimage', ['-quiet', '-udf', '-J', '-joliet-long', '-iso-level', '3', '-V', 'CONFIGURATION_MANAGER', '-o', iso, tree], { stdio: 'ignore', env });
  return iso;
}

/**
 * A UDF-only disc as oscdimg -u2 makes it: UDF holds the medium, the ISO 9660 and Joliet trees
 * only a readme. genisoimage cannot write UDF-only images, so the tree gets a README folder, and
 * the root directory record of the primary and Joliet volume descriptors (ECMA-119 §8.4.18, at
 * +156) is re-pointed at that folder's extent. UDF is untouched.
 */
export function udfOnlyIso(tree: string, workDir: string, iso: string): string {
  const staged = join(workDir, 'udf-only-tree');
  execFileSync('cp', ['-a', tree, staged]);
  put(staged, 'STUBREADME/README.TXT', 'This disc contains a UDF file system. (capture-media test fixture)\r\n');
  udfBridgeIso(staged, iso);
  const bytes = readFileSync(iso);
  for (let lba = 16; lba < 32; lba++) {
    const vd = lba * 2048;
    const type = bytes[vd]!;
    if (type === 255) break;
    if (type !== 1 && type !== 2) continue;
    const joliet = type === 2;
    const rootLba = bytes.readUInt32LE(vd + 156 + 2);
    const rootBytes = bytes.readUInt32LE(vd + 156 + 10);
    const records = parseDirectoryExtent(bytes.subarray(rootLba * 2048, rootLba * 2048 + rootBytes), 10_000);
    const name = joliet ? Buffer.from('STUBREADME', 'utf16le').swap16() : Buffer.from('STUBREADME');
    const stub = records.find((r) => Buffer.from(r.identifier).equals(name));
    if (!stub) throw new Error(`no STUBREADME in the ${joliet ? 'Joliet' : 'primary'} root of ${iso}`);
    // Both-endian extent location (+2) and data length (+10) of the root record.
    bytes.writeUInt32LE(stub.extentLba, vd + 156 + 2);
    bytes.writeUInt32BE(stub.extentLba, vd + 156 + 6);
    bytes.writeUInt32LE(stub.dataLengthBytes, vd + 156 + 10);
    bytes.writeUInt32BE(stub.dataLengthBytes, vd + 156 + 14);
  }
  writeFileSync(iso, bytes);
  return iso;
}
