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
import { spawnSync } from 'node:child_process';
import { cliCommand, runCli } from '../helpers/cli.js';
import { findPwsh } from '../helpers/pwsh.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';

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

  test('Get-CaptureMediaBootImage prints the signers of the sample and the 2023-shaped image (real module, real core)', () => {
    const pwsh = findPwsh();
    assert.ok(pwsh, 'pwsh is required (scripts/setup.sh installs it)');
    const command = [
      "$ErrorActionPreference = 'Stop'",
      "if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }",
      `Import-Module '${join(REPO_ROOT, 'module', 'CaptureMedia.psd1')}'`,
      `Get-CaptureMediaBootImage -Path '${sampleWim}', '${ex2023Wim}' | Format-List Path, BootManagerSigners, BootManagerWarning, Has2023BootManager, BootManager2023Signers | Out-String -Width 400`,
    ].join('; ');
    // The core the other tests run: the bundle under --dist, else the module's own way of finding it.
    const [core, ...rest] = cliCommand();
    const cli = rest.length === 0 && core ? { CAPTUREMEDIA_CLI: core } : {};
    const run = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', command], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...cli, CAPTUREMEDIA_NO_LOG: '1' } });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const [sample, ex] = run.stdout.split(/\n\s*\n/).filter((b) => b.includes('Path'));
    assert.match(sample!, /BootManagerSigners\s*:\s*\{\}/);
    assert.match(sample!, /BootManagerWarning\s*:.*bootmgfw\.efi is unsigned/);
    assert.match(sample!, /Has2023BootManager\s*:\s*False/);
    assert.match(ex!, /BootManagerSigners\s*:\s*\{Microsoft Corporation UEFI CA 2011, Microsoft UEFI CA 2023\}/);
    assert.match(ex!, /Has2023BootManager\s*:\s*True/);
    assert.match(ex!, new RegExp(`BootManager2023Signers\\s*:\\s*\\{${ca2023.caName.replace(/[()]/g, '\\$&')}, ${caNested.caName.replace(/[()]/g, '\\$&')}\\}`));
  });
});
