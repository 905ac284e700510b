// scripts/setup.sh pins the tools that the package registries here serve only in some versions
// (an unpinned `dotnet tool install --global PowerShell` takes a release whose runtime package is not
// served, and fails on a fresh machine). These tests catch a pin drifting from what the suite runs:
// if they fail, the machine's tool was installed some other way than setup.sh would on a fresh one.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findPwsh } from '../helpers/pwsh.js';
import { REPO_ROOT } from '../helpers/temp.js';

function pinned(script: string, pattern: RegExp): string {
  const match = pattern.exec(readFileSync(join(REPO_ROOT, 'scripts', script), 'utf8'));
  assert.ok(match?.[1], `scripts/${script} does not pin a version matching ${String(pattern)}`);
  return match[1];
}

test('the pwsh the suite runs is the PowerShell version scripts/setup.sh pins', () => {
  const version = pinned('setup.sh', /^POWERSHELL_VERSION="([0-9.]+)"$/m);
  const pwsh = findPwsh();
  assert.ok(pwsh, 'pwsh was not found: run ./scripts/setup.sh');
  const run = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), version, `pwsh reports ${run.stdout.trim()}, setup.sh pins ${version}: re-run ./scripts/setup.sh, or change the pin to a version the NuGet feed serves`);
});

test('the Pester the suite installs is the version scripts/install-pester.sh pins', () => {
  const version = pinned('install-pester.sh', /^version="\$\{PESTER_VERSION:-([0-9.]+)\}"$/m);
  const manifest = readFileSync(join(REPO_ROOT, 'test', '.work', 'Modules', 'Pester', version, 'Pester.psd1'), 'utf8');
  assert.match(manifest, new RegExp(`ModuleVersion\\s*=\\s*'${version.replaceAll('.', '\\.')}'`));
});
