// `verify` (Test-CaptureMedia) reports the signers of every EFI program on the medium, the loader
// inside the El Torito UEFI image (efisys.bin) included, and warns about a UEFI loader that is
// unsigned or signed only by PCA 2011. Media are built by our CLI from boot images whose loader is:
//   shim       Debian's shimx64.efi.signed (Microsoft UEFI CA 2011 + 2023): no warning
//   pca2011    the unsigned shim signed by the test with a test CA whose CN is
//              "Microsoft Windows Production PCA 2011" (its O says it is an untrusted test CA):
//              the revocation warning
//   unsigned   the sample's GRUB: the unsigned warning
//   bad-efisys an ISO whose efisys.bin is random bytes: a warning, and verify still passes
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeSampleBootImage, type SampleBootImage } from '../helpers/real-media.js';
import { makeBootImageVariant } from '../helpers/boot-image-variants.js';
import { makeTestCa, requireSigningPackages, sbsign, SHIM_SIGNED, SHIM_UNSIGNED } from '../helpers/test-signing.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { xorshiftBytes } from '../helpers/xorshift.js';

interface Program {
  Path: string;
  Loader: boolean;
  Status: string;
  Signers: string[];
  Warning: string | null;
}

let dir: string;
let cleanup: () => void;
let sample: SampleBootImage;

before(async () => {
  requireSigningPackages();
  ({ path: dir, cleanup } = makeTempDir('efi-signers'));
  sample = await makeSampleBootImage(join(dir, 'sample'));
});
after(() => cleanup());

async function build(wim: string, mediaType: 'cddvd' | 'usbimage', out: string): Promise<void> {
  const r = await runCli(['create', '--json', '--media-type', mediaType, '--path', out, '--boot-image', wim]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
}

async function verify(path: string): Promise<{ programs: Program[]; stderr: string }> {
  const r = await runCli(['verify', '--path', path, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [result] = JSON.parse(r.stdout) as { Verified: boolean; EfiPrograms: Program[] }[];
  assert.equal(result!.Verified, true);
  const human = await runCli(['verify', '--path', path]);
  assert.equal(human.code, 0);
  return { programs: result!.EfiPrograms, stderr: human.stderr };
}

const byPath = (programs: Program[]) => new Map(programs.map((p) => [p.Path.toLowerCase(), p]));

describe('verify reports EFI program signers', () => {
  test('ISO and USB image with the Microsoft-signed shim: every loader, El Torito included, no warning', async () => {
    const wim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'shim'), loader: SHIM_SIGNED })).wim;
    const iso = join(dir, 'shim.iso');
    await build(wim, 'cddvd', iso);
    const { programs, stderr } = await verify(iso);
    const map = byPath(programs);
    const microsoft = ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023'];
    assert.deepEqual(map.get('\\efi\\boot\\bootx64.efi')?.Signers, microsoft);
    const inner = map.get('\\efi\\microsoft\\boot\\efisys.bin:\\efi\\boot\\bootx64.efi');
    assert.ok(inner, `the loader inside efisys.bin is reported: ${[...map.keys()].join(', ')}`);
    assert.deepEqual(inner.Signers, microsoft);
    assert.equal(inner.Loader, true);
    assert.ok(programs.filter((p) => p.Loader).every((p) => p.Warning === null));
    assert.doesNotMatch(stderr, /PCA 2011|unsigned/);

    // The same disc copied to a folder (as a mounted drive is read): the folder reader finds them too.
    const folder = join(dir, 'shim-folder');
    await execa('7z', ['x', '-y', `-o${folder}`, iso]);
    const copied = byPath((await verify(folder)).programs);
    assert.deepEqual(copied.get('\\efi\\microsoft\\boot\\efisys.bin:\\efi\\boot\\bootx64.efi')?.Signers, microsoft);

    const img = join(dir, 'shim.img');
    await build(wim, 'usbimage', img);
    const usb = byPath((await verify(img)).programs);
    assert.deepEqual(usb.get('\\efi\\boot\\bootx64.efi')?.Signers, microsoft);
  });

  test('a loader signed only by PCA 2011 (a test CA of that name): the revocation warning, in the result and on stderr', async () => {
    const ca = await makeTestCa(dir, 'PCA2011', 'Microsoft Windows Production PCA 2011');
    const loader = join(dir, 'pca2011.efi');
    await sbsign(ca, SHIM_UNSIGNED, loader);
    const wim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'pca'), loader })).wim;
    const iso = join(dir, 'pca.iso');
    await build(wim, 'cddvd', iso);
    const { programs, stderr } = await verify(iso);
    for (const p of programs.filter((x) => x.Loader)) {
      assert.deepEqual(p.Signers, ['Microsoft Windows Production PCA 2011'], p.Path);
      assert.match(p.Warning ?? '', /will not boot on devices where the 2023 Secure Boot mitigations \(KB5025885\) revoked PCA 2011/);
    }
    assert.match(stderr, /efisys\.bin:\\EFI\\BOOT\\BOOTX64\.EFI is signed only by Microsoft Windows Production PCA 2011/);
  });

  test('the unsigned sample: unsigned warnings for both loaders', async () => {
    const iso = join(dir, 'sample.iso');
    await build(sample.wim, 'cddvd', iso);
    const { programs, stderr } = await verify(iso);
    const loaders = programs.filter((p) => p.Loader);
    assert.equal(loaders.length, 2);
    assert.ok(loaders.every((p) => p.Status === 'unsigned' && /is unsigned/.test(p.Warning ?? '')));
    assert.match(stderr, /bootx64\.efi is unsigned/);
  });

  test('compare shows the signers of both media side by side (the sample against the shim ISO)', async () => {
    const r = await runCli(['compare', '--reference-path', join(dir, 'sample.iso'), '--difference-path', join(dir, 'shim.iso'), '--json']);
    assert.equal(r.code, 6, r.stdout + r.stderr); // the media differ (exit 6); the signer table is informational
    const rows = (JSON.parse(r.stdout) as { EfiSigners: { Path: string; Reference: string | null; Difference: string | null }[] }).EfiSigners;
    const row = rows.find((x) => x.Path.toLowerCase() === '\\efi\\microsoft\\boot\\efisys.bin:\\efi\\boot\\bootx64.efi');
    assert.deepEqual(row && { Reference: row.Reference, Difference: row.Difference }, { Reference: '(unsigned)', Difference: 'Microsoft Corporation UEFI CA 2011, Microsoft UEFI CA 2023' });
  });

  test('an efisys.bin of random bytes: reported as unreadable, verification itself still passes', async () => {
    const tree = join(dir, 'bad-tree');
    await execa('cp', ['-r', sample.tree, tree]);
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(garbage, xorshiftBytes(1440 * 1024, 99));
    copyFileSync(garbage, join(tree, 'Windows', 'Boot', 'DVD', 'EFI', 'en-US', 'efisys.bin'));
    const wim = join(dir, 'bad.wim');
    await execa('wimlib-imagex', ['capture', tree, wim, 'Microsoft Windows PE (x64)', '--boot', '--image-property', 'WINDOWS/ARCH=9']);
    const iso = join(dir, 'bad.iso');
    await build(wim, 'cddvd', iso);
    const bad = byPath((await verify(iso)).programs).get('\\efi\\microsoft\\boot\\efisys.bin');
    assert.equal(bad?.Status, 'malformed');
    assert.match(bad?.Warning ?? '', /not a FAT boot image/);
  });
});
