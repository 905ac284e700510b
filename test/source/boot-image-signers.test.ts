// `boot-images` (Get-CaptureMediaBootImage) reports who signed a boot image's UEFI boot managers:
// on the sample (an unsigned GRUB stands in for bootmgfw.efi), on a WIM whose bootmgfw.efi is
// Debian's Microsoft dual-signed shim, and on a 2023-shaped WIM (EFI_EX/DVD_EX/FONTS_EX) whose
// bootmgfw_EX.efi the test signed with two test CAs, one signature nested in the other.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeSampleBootImage } from '../helpers/real-media.js';
import { makeBootImageVariant } from '../helpers/boot-image-variants.js';
import { makeTestCa, nestSignature, requireSigningPackages, sbsign, SHIM_SIGNED, SHIM_UNSIGNED, type TestCa } from '../helpers/test-signing.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let sampleWim: string;
let ex2023Wim: string;
let ca2023: TestCa;
let caNested: TestCa;

before(async () => {
  requireSigningPackages();
  ({ path: dir, cleanup } = makeTempDir('boot-image-signers'));
  const sample = await makeSampleBootImage(join(dir, 'sample'));
  sampleWim = sample.wim;
  ca2023 = await makeTestCa(dir, 'Windows UEFI 2023 Stand-in');
  caNested = await makeTestCa(dir, 'Nested');
  const signed = join(dir, 'bootmgfw_EX.efi');
  await sbsign(ca2023, SHIM_UNSIGNED, join(dir, 'once.efi'));
  await nestSignature(caNested, join(dir, 'once.efi'), signed);
  ex2023Wim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'ex'), loader: SHIM_SIGNED, ex: { bootmgfw: signed } })).wim;
});
after(() => cleanup());

async function bootImages(wim: string): Promise<Record<string, unknown>> {
  const r = await runCli(['boot-images', '--path', wim, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const list = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(list.length, 1);
  return list[0]!;
}

describe('boot-images reports the boot managers\' signers', () => {
  test('the sample: bootmgfw.efi unsigned, no 2023 boot manager', async () => {
    const d = await bootImages(sampleWim);
    assert.deepEqual(d.BootManagerSigners, []);
    assert.match(String(d.BootManagerWarning), /bootmgfw\.efi is unsigned/);
    assert.equal(d.Has2023BootManager, false);
    assert.deepEqual(d.BootManager2023Signers, []);
  });

  test('the 2023-shaped image: both boot managers, every signer, nested included', async () => {
    const d = await bootImages(ex2023Wim);
    assert.deepEqual(d.BootManagerSigners, ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
    assert.equal(d.BootManagerWarning, null);
    assert.equal(d.Has2023BootManager, true);
    assert.deepEqual(d.BootManager2023Signers, [ca2023.caName, caNested.caName]);
  });
});
