// The decisive El Torito check: real firmware boots our ISO. One BIOS + UEFI image is started
// under SeaBIOS (qemu's default BIOS) and under OVMF (UEFI). Each boot image prints a marker on
// the first serial port and powers off:
//  - BIOS: a hand-assembled no-emulation boot sector (listing below) writes "ELTORITO-BIOS-OK" to
//    COM1 (port 0x3F8) and exits qemu through the isa-debug-exit device (exit status 33);
//  - UEFI: efisys.bin is a FAT image (mkfs.fat -C + mtools) holding \EFI\BOOT\BOOTX64.EFI, a GRUB
//    made by grub-mkstandalone whose embedded grub.cfg echoes "ELTORITO-UEFI-OK" and halts.
// Tools come from scripts/setup.sh (qemu-system-x86, ovmf, grub-efi-amd64-bin, mtools). TCG only:
// under nested KVM OVMF faults on some hosts, and TCG boots this in a few seconds anyway.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { bootAndWaitForMarker } from '../helpers/qemu.js';
import { buildGrubMarkerEfi } from '../helpers/grub-marker.js';
import { join } from 'node:path';
import { bufferSource } from '../../src/io/content.js';
import { BIOS_BOOT_PATH, UEFI_BOOT_PATH, isoOptions, run, workDir, writeIso } from './fixture.js';

/**
 * 16-bit real mode, loaded at 0x07C0:0000 (= linear 0x7C00; El Torito §2.2 load segment 0):
 *   00 FA          cli
 *   01 31 C0       xor  ax, ax
 *   03 8E D8       mov  ds, ax
 *   05 BE 18 7C    mov  si, 0x7C18        ; linear address of the message at offset 0x18
 *   08 BA F8 03    mov  dx, 0x3F8         ; COM1 transmit register
 *   0B AC          lodsb                  ; loop:
 *   0C 84 C0       test al, al
 *   0E 74 03       jz   +3                ; -> 0x13
 *   10 EE          out  dx, al
 *   11 EB F8       jmp  -8                ; -> 0x0B
 *   13 B0 10       mov  al, 0x10
 *   15 E6 F4       out  0xF4, al          ; isa-debug-exit: qemu exits with (0x10 << 1) | 1 = 33
 *   17 F4          hlt
 *   18 "ELTORITO-BIOS-OK\r\n\0"
 */
const BIOS_PROGRAM = [0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0xbe, 0x18, 0x7c, 0xba, 0xf8, 0x03, 0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8, 0xb0, 0x10, 0xe6, 0xf4, 0xf4];
const BIOS_MARKER = 'ELTORITO-BIOS-OK';
const UEFI_MARKER = 'ELTORITO-UEFI-OK';

function biosBootFile(): Uint8Array {
  const bytes = new Uint8Array(2048);
  bytes.set(BIOS_PROGRAM, 0);
  bytes.set(new TextEncoder().encode(`${BIOS_MARKER}\r\n\0`), BIOS_PROGRAM.length);
  return bytes;
}

function uefiBootImage(dir: string): Uint8Array {
  const efi = buildGrubMarkerEfi(dir, UEFI_MARKER);
  const image = join(dir, 'efisys.bin');
  run('mkfs.fat', ['-C', '-i', '12345678', '-n', 'EFISYS', image, '2048']);
  run('mmd', ['-i', image, '::/EFI', '::/EFI/BOOT']);
  run('mcopy', ['-i', image, efi, '::/EFI/BOOT/BOOTX64.EFI']);
  return readFileSync(image);
}

function qemu(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync('qemu-system-x86_64', ['-m', '256', '-nographic', '-no-reboot', '-net', 'none', ...args], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, output: result.stdout.toString('latin1') + result.stderr.toString('latin1') };
}

describe('booting the ISO in real firmware (qemu)', () => {
  let dir: string;
  let iso: string;
  let uefiOnlyIso: string;

  before(async () => {
    dir = workDir('qemu');
    iso = join(dir, 'boot.iso');
    uefiOnlyIso = join(dir, 'uefi-only.iso');
    const uefi = { path: UEFI_BOOT_PATH, content: bufferSource(uefiBootImage(dir)) };
    const label = { path: ['MediaLabel.txt'], content: bufferSource(new TextEncoder().encode('label=QEMU\r\n')) };
    const tree = { files: [{ path: BIOS_BOOT_PATH, content: bufferSource(biosBootFile()) }, uefi, label] };
    await writeIso(tree, isoOptions({ bootBios: { path: BIOS_BOOT_PATH, loadSectors: 4 } }), iso);
    await writeIso({ files: [uefi, label] }, isoOptions({ bootBios: undefined }), uefiOnlyIso);
  });

  // OVMF runs go through the shared harness (test/helpers/qemu.ts): per-run VARS copy, KVM/TCG
  // choice, qemu always killed.
  const ovmfFinds = async (image: string): Promise<void> => {
    const r = await bootAndWaitForMarker({ image, kind: 'iso', firmware: 'uefi', marker: UEFI_MARKER });
    assert.ok(r.found, r.serialLog.slice(-2000));
  };
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('SeaBIOS loads the no-emulation BIOS entry and runs it', () => {
    const { status, output } = qemu(['-machine', 'pc,accel=tcg', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-cdrom', iso, '-boot', 'd']);
    assert.ok(output.includes(BIOS_MARKER), output.slice(-2000));
    assert.equal(status, 33);
  });

  it('OVMF loads the 0xEF entry, mounts efisys.bin and runs \\EFI\\BOOT\\BOOTX64.EFI', () => ovmfFinds(iso));

  it('OVMF boots a UEFI-only image (default entry 0xEF, no section)', () => ovmfFinds(uefiOnlyIso));
});
