// The decisive check for USB media: real UEFI firmware (OVMF under qemu, TCG) finds our MBR +
// FAT32 disk on a USB mass-storage device, mounts the volume and runs \EFI\BOOT\BOOTX64.EFI.
// And under SeaBIOS (legacy BIOS, which we do not support) the MBR's stub says so instead of
// running garbage: with -nographic SeaBIOS mirrors INT 10h text to the serial console.
// BOOTX64.EFI is a GRUB made by grub-mkstandalone whose embedded grub.cfg echoes a marker to the
// console (serial under -nographic) and halts. Two sizes: 256 MiB (2 KiB clusters) and 40 GiB
// (32 KiB clusters, past Windows' 32 GiB format limit; the image is sparse).
// Tools come from scripts/setup.sh (qemu-system-x86, ovmf, grub-efi-amd64-bin).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { bootAndWaitForMarker } from '../helpers/qemu.js';
import { buildGrubMarkerEfi } from '../helpers/grub-marker.js';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFat32Disk } from '../../src/partition/fat32-disk.js';
import { fileSource } from '../../src/io/content.js';
import { FileSink } from '../../src/io/sink.js';
import { NOT_BOOTABLE_MESSAGE } from '../../src/fat/boot-code.js';
import { FIXED_OPTIONS, GIB, MIB, WORK } from './fat-fixture.js';

const DIR = join(WORK, 'uefi');
const MARKER = 'FAT32-UEFI-OK';
let efi: string;

before(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  efi = buildGrubMarkerEfi(DIR, MARKER);
});
after(() => rmSync(DIR, { recursive: true, force: true }));

describe('UEFI firmware boots our FAT32 USB image', { timeout: 120_000 }, () => {
  for (const [name, diskSizeBytes] of [['256MiB', 256 * MIB], ['40GiB', 40 * GIB]] as const) {
    it(`OVMF runs \\EFI\\BOOT\\BOOTX64.EFI from a ${name} disk on USB`, async () => {
      const image = join(DIR, `usb-${name}.img`);
      const sink = await FileSink.create(image);
      await writeFat32Disk(
        {
          files: [
            { path: ['EFI', 'BOOT', 'BOOTX64.EFI'], content: fileSource(efi, statSync(efi).size) },
            { path: ['sources', 'readme.txt'], content: fileSource(efi, 100) },
          ],
        },
        { ...FIXED_OPTIONS, diskSizeBytes },
        sink,
      );
      await sink.close(false);
      const result = await bootAndWaitForMarker({ image, kind: 'usb', firmware: 'uefi', marker: MARKER, timeoutMs: 100_000 });
      rmSync(image, { force: true });
      assert.ok(result.found, `no ${MARKER} in the console output:\n${result.serialLog.slice(-2000)}`);
      assert.match(result.serialLog, /USB HARDDRIVE/);
    });
  }
});

describe('a legacy BIOS gets a message, not a hang in garbage', { timeout: 60_000 }, () => {
  it('SeaBIOS runs the MBR stub, which prints that BIOS boot is not supported', async () => {
    const image = join(DIR, 'bios.img');
    const sink = await FileSink.create(image);
    await writeFat32Disk({ files: [] }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB }, sink);
    await sink.close(false);
    const expected = NOT_BOOTABLE_MESSAGE.split('\r\n')[0]!;
    // The stub waits for a key, so qemu is stopped (by its pid) once the message is out.
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('qemu-system-x86_64', ['-m', '64', '-nographic', '-no-reboot', '-net', 'none', '-machine', 'pc,accel=tcg', '-drive', `file=${image},format=raw`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      const timer = setTimeout(() => child.kill('SIGTERM'), 40_000);
      child.stdout.setEncoding('latin1');
      child.stdout.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(expected)) child.kill('SIGTERM');
      });
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    rmSync(image, { force: true });
    assert.ok(output.includes('Booting from Hard Disk'), output.slice(-1000));
    assert.ok(output.includes(expected), output.slice(-1000));
  });
});
