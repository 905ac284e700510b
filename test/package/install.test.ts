// The module package as a Windows admin installs it (issue: a fresh machine installs it): `npm run
// package` makes the module folder, zip and .nupkg; a folder registered as a PowerShell repository
// serves the .nupkg to Install-PSResource and to Install-Module, and the zip is expanded into an
// empty module path. Each way, a new pwsh imports CaptureMedia by name, moves to Env: and builds
// and re-verifies the sample ISO. HOME is a fresh folder for each, so the CurrentUser module path
// and the registered repositories start empty and the machine's own PowerShell setup is untouched;
// the core runs from the installed module folder, far from this checkout's node_modules.
// Real pwsh, real PowerShellGet/PSResourceGet, real sample boot image; nothing is faked.

import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findPwsh } from '../helpers/pwsh.js';
import { makeSampleBootImage, REPO_ROOT } from '../helpers/real-media.js';

const pwsh = findPwsh();
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// The OS temp folder, not test/.work: below this checkout, Node would find the repository's
// node_modules from the installed module's folder and hide a dependency missing from the bundle.
let work: string;
let release: string;
let library: string;

function explain(run: SpawnSyncReturns<string>): string {
  return `exit ${String(run.status)}${run.error ? ` (${run.error.message})` : ''}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

before(async () => {
  assert.ok(pwsh, 'pwsh is required (scripts/setup.sh installs it)');
  work = mkdtempSync(join(tmpdir(), 'capture-media-install-'));
  release = join(work, 'release');
  const packaged = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package', 'package.mjs'), '--out', release], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(packaged.status, 0, explain(packaged));
  const sample = await makeSampleBootImage(join(work, 'sample'));
  library = join(work, 'SCCMContentLib');
  const made = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'make-content-library.ts'), '--root', library, '--package', 'PKG00001', '--version', '1', '--file', `${sample.wim}=boot.PKG00001.wim`],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  assert.equal(made.status, 0, explain(made));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('npm run package makes the module folder, the zip and the nupkg', () => {
  for (const name of [`CaptureMedia/${version}/CaptureMedia.psd1`, `CaptureMedia/${version}/core/capture-media.cjs`, `CaptureMedia/${version}/core/capture-media-core.cjs`, `CaptureMedia/${version}/core/capture-media-core.cjs.cache`, `CaptureMedia/${version}/LICENSE`, `CaptureMedia-${version}.zip`, `CaptureMedia.${version}.nupkg`]) {
    assert.ok(existsSync(join(release, name)), `${name} is missing from the release folder`);
  }
  const manifest = readFileSync(join(release, 'CaptureMedia', version, 'CaptureMedia.psd1'), 'utf8');
  assert.match(manifest, new RegExp(`ModuleVersion\\s*=\\s*'${version.replaceAll('.', '\\.')}'`));
  assert.match(manifest, /ReleaseNotes\s*=/);
  assert.match(manifest, /LicenseUri\s*=/);
});

for (const installer of ['PSResourceGet', 'PowerShellGet', 'Zip'] as const) {
  test(`installed with ${installer}, imported by name from Env:, it builds and re-verifies the sample ISO`, { timeout: 300_000 }, () => {
    const folder = join(work, installer);
    const home = join(folder, 'home');
    mkdirSync(home, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_STATE_HOME: join(folder, 'state'), XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache') };
    delete env.CAPTUREMEDIA_CLI;
    delete env.CAPTUREMEDIA_NO_LOG;
    delete env.PSModulePath;
    const run = spawnSync(
      pwsh ?? 'pwsh',
      ['-NoProfile', '-NonInteractive', '-File', join(REPO_ROOT, 'test', 'package', 'Install-CaptureMediaPackage.ps1'), '-Installer', installer, '-ReleasePath', release, '-WorkPath', folder, '-DistributionPoint', library, '-PackageId', 'PKG00001', '-PwshPath', pwsh ?? 'pwsh'],
      { cwd: folder, encoding: 'utf8', env, timeout: 280_000 },
    );
    assert.equal(run.status, 0, explain(run));
    const line = run.stdout.trim().split(/\r?\n/).pop() ?? '';
    const seen = JSON.parse(line) as { ModuleVersion: string; ModuleBase: string; Location: string; Created: string[] | string; Verified: boolean; TestVerified: boolean };
    assert.equal(seen.ModuleVersion, version);
    assert.ok(seen.ModuleBase.startsWith(folder), `the module was imported from ${seen.ModuleBase}, not from the install under ${folder}`);
    assert.ok(existsSync(join(seen.ModuleBase, 'core', 'capture-media.cjs')), 'the installed module has no core/capture-media.cjs');
    assert.match(seen.Location, /^Env:[\\/]$/, 'the commands ran with Env: as the current location');
    assert.equal(seen.Verified, true);
    assert.equal(seen.TestVerified, true);
    assert.ok(existsSync(join(folder, 'capture.iso')), 'the ISO was not written');
    assert.ok(existsSync(join(folder, 'state', 'capture-media', 'CaptureMedia.log')), 'the default CMTrace log was not written');
  });
}
