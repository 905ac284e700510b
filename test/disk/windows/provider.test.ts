// WindowsDiskProvider over the FAKE PowerShell session: target grammar, drive letters, paths, and
// the rule that no user string is ever pasted into a PowerShell script.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWindowsTarget, WindowsDiskProvider } from '../../../src/disk/windows/provider.js';
import { GET_PARTITION_SCRIPT } from '../../../src/disk/windows/get-disk.js';
import { workstationSession } from './fixtures.js';

function provider() {
  const session = workstationSession();
  return { session, provider: new WindowsDiskProvider(session) };
}

describe('target grammar', () => {
  test('disk numbers and PhysicalDrive paths (either prefix, any case)', () => {
    for (const t of ['2', '\\\\.\\PhysicalDrive2', '\\\\?\\PhysicalDrive2', '\\\\.\\PHYSICALDRIVE2', '\\\\.\\physicaldrive2']) {
      assert.deepEqual(parseWindowsTarget(t), { kind: 'number', diskNumber: 2 }, t);
    }
    assert.deepEqual(parseWindowsTarget('0'), { kind: 'number', diskNumber: 0 });
  });

  test('drive letters: E, e, E:, E:\\', () => {
    for (const t of ['E', 'e', 'E:', 'e:', 'E:\\']) assert.deepEqual(parseWindowsTarget(t), { kind: 'letter', driveLetter: 'E' }, t);
  });

  test('path tricks and anything else are refused with InvalidParameter', () => {
    for (const t of [
      '\\\\?\\C:\\..\\',
      'E:.',
      'E: ',
      ' E:',
      'E:\\.',
      'E:\\\\',
      '2 ',
      '2.',
      '02',
      '-1',
      '+2',
      '2e0',
      '0x2',
      '99999999999',
      '\\\\.\\PhysicalDrive2.',
      '\\\\.\\PhysicalDrive2 ',
      '\\\\.\\PhysicalDrive',
      '\\\\.\\PhysicalDrive-1',
      '\\\\.\\C:',
      '\\\\?\\Volume{0a6b5c4d-1111-11ef-b7a1-806e6f6e6963}\\',
      '/dev/sdb',
      'E:\\media',
      '',
      "E'; Format-Volume -DriveLetter C #",
    ]) {
      assert.throws(() => parseWindowsTarget(t), { id: 'InvalidParameter' }, JSON.stringify(t));
    }
  });
});

describe('resolve', () => {
  test('a disk number, a device path and a drive letter give the same disk', async () => {
    const { provider: p } = provider();
    for (const t of ['1', '\\\\.\\PhysicalDrive1', '\\\\?\\physicaldrive1', 'E:', 'e', 'E:\\']) {
      const d = await p.resolve(t);
      assert.equal(d.path, '\\\\.\\PhysicalDrive1', t);
      assert.equal(d.model, 'SanDisk Ultra');
    }
  });

  test('a disk that does not exist, a letter no partition has: DiskNotFound', async () => {
    const { provider: p } = provider();
    await assert.rejects(p.resolve('9'), { id: 'DiskNotFound' });
    await assert.rejects(p.resolve('Z:'), { id: 'DiskNotFound' });
  });

  test('a refused target runs no PowerShell at all', async () => {
    const { provider: p, session } = provider();
    await assert.rejects(p.resolve('1; Clear-Disk -Number 0 -RemoveData -Confirm:$false'), { id: 'InvalidParameter' });
    assert.deepEqual(session.scripts, []);
  });
});

describe('diskOfPath', () => {
  test('drive-letter paths, long-path prefix, forward slashes', async () => {
    const { provider: p } = provider();
    assert.equal(await p.diskOfPath('C:\\Windows\\Temp'), '\\\\.\\PhysicalDrive0');
    assert.equal(await p.diskOfPath('e:/media/capture.iso'), '\\\\.\\PhysicalDrive1');
    assert.equal(await p.diskOfPath('\\\\?\\E:\\media'), '\\\\.\\PhysicalDrive1');
  });

  test('a folder mount point wins over the drive it sits on; .. is folded first', async () => {
    const { provider: p } = provider();
    assert.equal(await p.diskOfPath('C:\\Backups\\captures\\x.iso'), '\\\\.\\PhysicalDrive2');
    assert.equal(await p.diskOfPath('C:\\Backups\\..\\Temp'), '\\\\.\\PhysicalDrive0');
  });

  test('UNC paths are not on a local disk; letters without a partition (network drives) neither', async () => {
    const { provider: p } = provider();
    assert.equal(await p.diskOfPath('\\\\server\\share\\capture.iso'), undefined);
    assert.equal(await p.diskOfPath('\\\\?\\UNC\\server\\share\\x'), undefined);
    assert.equal(await p.diskOfPath('Z:\\x'), undefined);
  });

  test('a subst drive is refused (it may be a folder on the very stick); a missing letter is not a disk', async () => {
    const { provider: p } = provider();
    await assert.rejects(p.diskOfPath('S:\\out'), { id: 'InvalidParameter' });
    assert.equal(await p.diskOfPath('Q:\\out'), undefined);
  });

  test('relative paths are refused rather than guessed', async () => {
    const { provider: p } = provider();
    await assert.rejects(p.diskOfPath('media\\capture.iso'), { id: 'InvalidParameter' });
    await assert.rejects(p.diskOfPath('C:relative'), { id: 'InvalidParameter' });
  });
});

describe('no user string reaches PowerShell source', () => {
  const hostile = "E:\\out'; Remove-Item -Recurse C:\\ #\"$(Stop-Computer)`n";

  test('every script the fake received is a constant query, a validated number, or base64 JSON', async () => {
    const { provider: p, session } = provider();
    await p.list();
    await p.resolve('E:');
    await p.resolve('\\\\.\\PhysicalDrive2');
    await p.diskOfPath(hostile);
    await p.diskOfPath('C:\\Backups\\x');
    assert.ok(session.scripts.length > 0);
    for (const script of session.scripts) {
      assert.ok(!script.includes('Remove-Item'), script);
      assert.ok(!script.includes('Stop-Computer'), script);
      assert.ok(!script.includes('E:\\out'), script);
      assert.ok(!script.includes('Backups'), script);
      // Apart from the constant cmdlet text, the only literals are digits and base64 in single quotes.
      const quoted = [...script.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
      for (const q of quoted) assert.match(q, /^[A-Za-z0-9+/=]*$/, `quoted literal in: ${script}`);
    }
    // The drive letter itself travels as base64 JSON.
    const byLetter = session.scripts.find((s) => s.includes('-DriveLetter'));
    assert.ok(byLetter);
    assert.ok(!/-DriveLetter\s+E\b/.test(byLetter));
    const b64 = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(byLetter)?.[1];
    assert.deepEqual(JSON.parse(Buffer.from(b64 ?? '', 'base64').toString('utf8')), { driveLetter: 'E' });
  });

  test('diskOfPath uses the full Get-Partition listing, not the path', async () => {
    const { provider: p, session } = provider();
    await p.diskOfPath(hostile);
    assert.deepEqual(session.scripts, [GET_PARTITION_SCRIPT]);
  });
});
