// The real NodePowerShellSession against a real PowerShell 7 (pwsh; .ci/run installs it as a
// dotnet tool). Linux pwsh has no Storage module (Get-Disk), so this checks the session
// mechanics the Windows code relies on: one-line base64 transport of multi-line scripts, JSON
// data that cannot break out of its literal, ConvertTo-Json's single-object quirk, errors, and
// disposal on cancel. A missing pwsh FAILS these tests, as in test/powershell/pester.test.ts.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceError } from '../../../src/errors.js';
import { asArray, parsePartitions } from '../../../src/disk/windows/get-disk.js';
import { encodeForSession, NodePowerShellSession, psDiskNumber, psJsonArgument } from '../../../src/disk/windows/powershell-session.js';
import { findPwsh } from '../../helpers/pwsh.js';


const pwsh = findPwsh();

describe('script encoding (no PowerShell needed)', () => {
  test('encodeForSession is one line of constant text around base64', () => {
    const line = encodeForSession('Get-Disk\n$x = 1\n"multi-line"');
    assert.ok(!line.includes('\n'));
    assert.match(line, /^& \(\[ScriptBlock\]::Create\(\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('[A-Za-z0-9+/=]+'\)\)\)\)$/);
  });

  test('psDiskNumber accepts UInt32 only', () => {
    assert.equal(psDiskNumber(0), '0');
    assert.equal(psDiskNumber(4294967295), '4294967295');
    for (const bad of [-1, 1.5, Number.NaN, 4294967296, Number.POSITIVE_INFINITY]) assert.throws(() => psDiskNumber(bad), { id: 'InvalidParameter' });
  });
});

test('a PowerShell that cannot start: a DeviceError, not a hang', { timeout: 30_000 }, async () => {
  const s = new NodePowerShellSession({ executable: '/nonexistent/capture-media/pwsh', invocationTimeoutMs: 10_000 });
  try {
    await assert.rejects(s.invoke('1'), (e: unknown) => e instanceof DeviceError && e.id === 'PowerShellFailed');
  } finally {
    await s.dispose();
  }
});

describe('NodePowerShellSession with real pwsh', () => {
  test('pwsh is installed (PowerShell 7; .ci/run installs it)', () => {
    assert.ok(pwsh, 'pwsh was not found on PATH, in $PWSH or in ~/.dotnet/tools: install it with `dotnet tool install --global PowerShell`');
  });

  const session = new NodePowerShellSession({ executable: pwsh ?? 'pwsh', invocationTimeoutMs: 60_000 });
  after(() => session.dispose());

  test('a multi-line script runs whole through the one-line transport', { timeout: 90_000 }, async () => {
    const out = await session.invoke('$a = 40\n$b = 2\nif ($a -gt 1) {\n  $a + $b\n}\n');
    assert.equal(out.trim(), '42');
  });

  test('hostile data passed through psJsonArgument comes back byte for byte, and runs nothing', { timeout: 90_000 }, async () => {
    const hostile = "E:\\out'; Write-Output PWNED #\"$(Write-Output PWNED2)`n\r\n@' '@ ${env:PATH} ä 🙂";
    const out = await session.invoke(`$in = ${psJsonArgument({ value: hostile })}\n$in.value | ConvertTo-Json`);
    assert.equal(JSON.parse(out), hostile);
    assert.ok(!/^PWNED/m.test(out));
  });

  test('ConvertTo-Json: one object is not an array, none is empty output; asArray reads all three', { timeout: 90_000 }, async () => {
    const one = await session.invoke("[pscustomobject]@{ DiskNumber = 1; PartitionNumber = 1; DriveLetter = [char]'G'; Size = 5; AccessPaths = @('G:\\') } | ConvertTo-Json -Depth 3");
    assert.ok(one.trim().startsWith('{'));
    assert.equal(asArray('q', one).length, 1);
    const none = await session.invoke('@() | ConvertTo-Json -Depth 3');
    assert.deepEqual(asArray('q', none), []);
    const two = await session.invoke('1,2 | ForEach-Object { [pscustomobject]@{ N = $_ } } | ConvertTo-Json -Depth 3');
    assert.equal(asArray('q', two).length, 2);
  });

  test('[char] drive letters as ConvertTo-Json writes them, including the NUL char for "none"', { timeout: 90_000 }, async () => {
    const out = await session.invoke(
      "@([pscustomobject]@{ DiskNumber = 0; PartitionNumber = 1; DriveLetter = [char]0; Size = 1; AccessPaths = $null }, " +
        "[pscustomobject]@{ DiskNumber = 0; PartitionNumber = 2; DriveLetter = [char]'C'; Size = 1; AccessPaths = @('C:\\') }) | ConvertTo-Json -Depth 3",
    );
    const parts = parsePartitions(out);
    assert.deepEqual(
      parts.map((p) => p.driveLetter),
      [undefined, 'C'],
      out,
    );
  });

  test('an error in the script rejects with a DeviceError and the session keeps working', { timeout: 90_000 }, async () => {
    await assert.rejects(session.invoke("throw 'no such disk'"), (e: unknown) => {
      assert.ok(e instanceof DeviceError);
      assert.match(e.stderr, /no such disk/);
      return true;
    });
    assert.equal((await session.invoke('1 + 1')).trim(), '2');
  });

  test('an aborted signal disposes the session; later invokes say Cancelled', { timeout: 90_000 }, async () => {
    const controller = new AbortController();
    const s = new NodePowerShellSession({ executable: pwsh ?? 'pwsh', signal: controller.signal });
    try {
      assert.equal((await s.invoke("'up'")).trim(), 'up');
      controller.abort();
      await assert.rejects(s.invoke("'again'"), { id: 'Cancelled' });
    } finally {
      // A session left open keeps the test process alive: always end it.
      await s.dispose();
    }
  });
});
