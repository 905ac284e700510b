// Secure Boot boot proof: media built by our CLI start in OVMF with Secure Boot enforced and
// Microsoft's keys enrolled when their UEFI loader is Microsoft-signed, and are refused when it is
// not — and the signer report we print beforehand says which will happen.
//
// The boot images are the sample (scripts/make-sample-bootimage.sh) with the UEFI loader replaced:
//   signed     Debian's shimx64.efi.signed (Microsoft Corporation UEFI CA 2011 + Microsoft UEFI CA
//              2023) as bootmgfw.efi and as BOOTX64.EFI inside efisys.bin. Shim's second stage is
//              absent, so shim prints "Failed to open \EFI\BOOT\grubx64.efi": a line that appears only
//              if the firmware verified shim and ran it.
//   unsigned   the sample's own unsigned GRUB: OVMF refuses to load it ("failed to load Boot0001 …:
//              Access Denied", EDK2's status for an unsigned image) and moves on to its next option.
//   test-ca    shim signed by the tests' own CA (not in the firmware's db): refused too.
//   2023       a 2023-shaped image: the 2011 files keep the unsigned GRUB, the _EX files (bootmgfw_EX.efi,
//              and the loader inside efisys_EX.bin) are the Microsoft-signed shim. Built with
//              --boot-manager 2023 the media start shim, which proves the _EX layout, the El Torito
//              UEFI image included, is what the firmware boots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bootAndWaitForMarker } from '../helpers/qemu.js';
import { findSecureBootOvmf, PAST_MEDIUM_MARKER, refusedMediumBoot, SHIM_STARTED_MARKER } from '../helpers/qemu-secure-boot.js';
import { makeSampleBootImage, UEFI_MARKER } from '../helpers/real-media.js';
import { makeBootImageVariant } from '../helpers/boot-image-variants.js';
import { makeTestCa, requireSigningPackages, sbsign, SHIM_SIGNED, SHIM_UNSIGNED } from '../helpers/test-signing.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';

const BOOT_TIMEOUT_MS = 120_000;

let dir: string;
let cleanup: () => void;
let signedWim: string;
let unsignedWim: string;
let testCaWim: string;
let ex2023Wim: string;

before(async () => {
  requireSigningPackages();
  if (!findSecureBootOvmf()) throw new Error('OVMF with Secure Boot and Microsoft keys is missing: apt-get install ovmf (OVMF_CODE_4M.ms.fd)');
  ({ path: dir, cleanup } = makeTempDir('secure-boot'));
  const sample = await makeSampleBootImage(join(dir, 'sample'));
  signedWim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'signed'), loader: SHIM_SIGNED })).wim;
  unsignedWim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'unsigned') })).wim;
  const ca = await makeTestCa(dir, 'Secure Boot');
  const testSigned = join(dir, 'test-signed.efi');
  await sbsign(ca, SHIM_UNSIGNED, testSigned);
  testCaWim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'test-ca'), loader: testSigned })).wim;
  ex2023Wim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'ex2023'), ex: { bootmgfw: SHIM_SIGNED } })).wim;
});
after(() => cleanup());

async function create(wim: string, mediaType: 'cddvd' | 'usbimage', path: string, extra: string[] = []): Promise<Record<string, unknown>> {
  const r = await runCli(['create', '--media-type', mediaType, '--path', path, '--boot-image', wim, '--json', ...extra]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** What `boot-images` says of the boot image before any media is built. */
async function signerReport(wim: string): Promise<{ BootManagerSigners: string[]; BootManagerWarning: string | null }> {
  const r = await runCli(['boot-images', '--path', wim, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return (JSON.parse(r.stdout) as { BootManagerSigners: string[]; BootManagerWarning: string | null }[])[0]!;
}

async function secureBoot(image: string, kind: 'iso' | 'usb', marker: string) {
  const r = await bootAndWaitForMarker({ image, kind, firmware: 'uefi', secureBoot: true, marker, timeoutMs: BOOT_TIMEOUT_MS });
  console.log(`# secure boot ${kind} ${image}: found=${r.found} after ${r.elapsedMs} ms`);
  return r;
}

describe('Secure Boot enforced (OVMF with Microsoft keys)', () => {
  for (const [mediaType, kind, file] of [
    ['cddvd', 'iso', 'capture.iso'],
    ['usbimage', 'usb', 'capture.img'],
  ] as const) {
    test(`${kind}: the Microsoft-signed loader is started by the firmware`, async () => {
      const report = await signerReport(signedWim);
      assert.deepEqual(report.BootManagerSigners, ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
      assert.equal(report.BootManagerWarning, null, 'the report predicts a boot');
      const out = join(dir, `signed-${file}`);
      await create(signedWim, mediaType, out);
      const r = await secureBoot(out, kind, SHIM_STARTED_MARKER);
      assert.ok(r.found, `shim did not start; serial log:\n${r.serialLog.slice(-3000)}`);
      assert.ok(!refusedMediumBoot(r.serialLog));
    });

    test(`${kind}: the unsigned loader is refused by the firmware`, async () => {
      const report = await signerReport(unsignedWim);
      assert.deepEqual(report.BootManagerSigners, []);
      assert.match(report.BootManagerWarning ?? '', /unsigned: firmware with Secure Boot enabled refuses to start it/, 'the report predicts the refusal');
      const out = join(dir, `unsigned-${file}`);
      await create(unsignedWim, mediaType, out);
      const r = await secureBoot(out, kind, PAST_MEDIUM_MARKER);
      assert.ok(r.found && refusedMediumBoot(r.serialLog), `the firmware did not refuse the medium; serial log:\n${r.serialLog.slice(-3000)}`);
      assert.ok(!r.serialLog.includes(UEFI_MARKER), 'the unsigned GRUB must not have run');
    });

    test(`${kind}: --boot-manager 2023 puts the 2023 loader (here Microsoft-signed shim) where the firmware starts it`, async () => {
      const [report] = JSON.parse((await runCli(['boot-images', '--path', ex2023Wim, '--json'])).stdout) as { Has2023BootManager: boolean; BootManager2023Signers: string[] }[];
      assert.equal(report!.Has2023BootManager, true);
      assert.deepEqual(report!.BootManager2023Signers, ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
      const out = join(dir, `ex2023-${file}`);
      const result = await create(ex2023Wim, mediaType, out, ['--boot-manager', '2023']);
      assert.deepEqual(result.BootManagerSigners, ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
      const r = await secureBoot(out, kind, SHIM_STARTED_MARKER);
      assert.ok(r.found, `shim did not start from the 2023 layout; serial log:\n${r.serialLog.slice(-3000)}`);
    });
  }

  test('iso: a loader signed by a CA the firmware does not trust (the tests\' own) is refused', async () => {
    const report = await signerReport(testCaWim);
    assert.deepEqual(report.BootManagerSigners, ['Secure Boot Test CA (untrusted)'], 'signed, by a CA that no Secure Boot db holds');
    const out = join(dir, 'test-ca.iso');
    await create(testCaWim, 'cddvd', out);
    const r = await secureBoot(out, 'iso', PAST_MEDIUM_MARKER);
    assert.ok(r.found && refusedMediumBoot(r.serialLog), `the firmware did not refuse the medium; serial log:\n${r.serialLog.slice(-3000)}`);
    assert.ok(!r.serialLog.includes(SHIM_STARTED_MARKER));
  });
});
