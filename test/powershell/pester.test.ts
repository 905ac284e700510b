// Runs the PowerShell side of the project under node:test: the Windows PowerShell 5.1 syntax check
// of module/ (Test-CaptureMediaSyntax.ps1) and the Pester 5 suite in test/pester/, which drives the
// module against the real core in dist/ (built by `npm run build`, which `npm test` runs first).
// pwsh is required: .ci/run installs it (dotnet tool PowerShell); a missing pwsh FAILS these tests.

import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findPwsh } from '../helpers/pwsh.js';

const root = fileURLToPath(new URL('../..', import.meta.url));


function tail(text: string, chars = 6000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

function describe(run: SpawnSyncReturns<string>): string {
  return `exit ${String(run.status)} signal ${String(run.signal)}${run.error ? ` error ${run.error.message}` : ''}\n--- stdout ---\n${tail(run.stdout ?? '')}\n--- stderr ---\n${tail(run.stderr ?? '')}`;
}

const pwsh = findPwsh();

test('pwsh is installed (PowerShell 7; .ci/run installs it)', () => {
  assert.ok(pwsh, 'pwsh was not found on PATH, in $PWSH or in ~/.dotnet/tools: install it with `dotnet tool install --global PowerShell`');
});

test('module/ is Windows PowerShell 5.1 syntax (parser check)', () => {
  assert.ok(pwsh, 'pwsh is required');
  const run = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'test', 'powershell', 'Test-CaptureMediaSyntax.ps1')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, describe(run));
  assert.match(run.stdout, /files parse as Windows PowerShell 5\.1 syntax/);
});

// The suite starts some twenty pwsh child processes (scripts run the way a scheduled task runs
// them: -NonInteractive -File, stdin at /dev/null or an open pipe); on a busy shared machine each
// start costs seconds, so the limits leave room for that.
test('Pester suite (test/pester) passes against the real core', { timeout: 1_500_000 }, () => {
  assert.ok(pwsh, 'pwsh is required');
  assert.ok(existsSync(join(root, 'dist', 'capture-media.cjs')), 'dist/capture-media.cjs is missing: run `npm run build` first');

  const install = spawnSync('bash', [join(root, 'scripts', 'install-pester.sh')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  assert.equal(install.status, 0, `scripts/install-pester.sh failed: ${describe(install)}`);
  const modules = install.stdout.trim().split(/\r?\n/).pop() ?? '';
  assert.ok(existsSync(join(modules, 'Pester')), `install-pester.sh printed ${modules}, which has no Pester folder`);

  const command = [
    "$ErrorActionPreference = 'Stop'",
    "if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }",
    'Import-Module Pester -MinimumVersion 5.0 -MaximumVersion 5.99',
    '$config = New-PesterConfiguration',
    "$config.Run.Path = 'test/pester'",
    '$config.Run.Exit = $true',
    "$config.Output.Verbosity = 'Detailed'",
    '$config.TestResult.Enabled = $true',
    "$config.TestResult.OutputPath = 'test/.work/pester-results.xml'",
    'Invoke-Pester -Configuration $config',
  ].join('; ');
  const run = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', command], {
    cwd: root,
    encoding: 'utf8',
    timeout: 1_440_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PSModulePath: [modules, process.env.PSModulePath ?? ''].filter(Boolean).join(delimiter), CAPTUREMEDIA_NO_LOG: '1' },
  });
  const summary = /Tests Passed: (\d+), Failed: (\d+)/.exec(run.stdout);
  // The failed tests with their messages, wherever they are in a long Detailed output.
  const failures = (run.stdout ?? '')
    .split(/\r?\n/)
    .reduce<string[]>((acc, line, i, lines) => (line.includes('[-]') ? [...acc, ...lines.slice(i, i + 4)] : acc), [])
    .join('\n');
  assert.equal(run.status, 0, `Pester failed:\n${failures}\n${describe(run)}`);
  assert.ok(summary, `no Pester summary in the output: ${describe(run)}`);
  assert.ok(Number(summary[1]) > 0, 'Pester ran no test');
  assert.equal(Number(summary[2]), 0);
});
