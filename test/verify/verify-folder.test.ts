// Read-back of media copied onto a mounted volume (Windows USB, -NoFormat): unbuffered reads
// (O_DIRECT here; FILE_FLAG_NO_BUFFERING on Windows, the same reader with another open flag),
// the documented fallback where a file system refuses them, and corruption still caught.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, constants, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { directOpenFlag, openDirectReader } from '../../src/io/direct-reader.js';
import { CaptureMediaError } from '../../src/errors.js';
import { verifyFolder } from '../../src/verify/verify-folder.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

describe('verifyFolder', () => {
  const temp = makeTempDir('verify-folder');
  const volume = join(temp.path, 'volume');

  before(async () => {
    const wim = makeWinPeWim(temp.path);
    mkdirSync(volume);
    const r = await runCli(['create', '--media-type', 'usb', '--no-format', '--path', volume, '--boot-image', wim, '--yes', '--no-verify', '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
  after(() => {
    temp.cleanup();
  });

  test('the unbuffered open flag: FILE_FLAG_NO_BUFFERING (libuv UV_FS_O_DIRECT) on Windows, O_DIRECT here', () => {
    assert.equal(directOpenFlag('win32'), 0x02000000);
    assert.equal(directOpenFlag('linux'), constants.O_DIRECT);
  });

  test('a folder on a disk file system is read unbuffered and verifies', async () => {
    const reader = await openDirectReader(join(volume, 'sources', 'boot.wim'));
    const direct = reader.direct;
    await reader.close();
    assert.equal(direct, true, 'this test expects test/.work on a file system with O_DIRECT (ext4, xfs, btrfs)');
    const cached: string[] = [];
    const outcome = await verifyFolder(volume, { onCachedReads: (reason) => cached.push(reason) });
    assert.ok(outcome.files > 10);
    assert.deepEqual(cached, [], 'no file fell back to cached reads');
  });

  test('read through the cache instead (the fallback), files still verify and the reason is given once', async () => {
    // (Which file systems refuse O_DIRECT changes with the kernel: tmpfs accepts it since 6.6. The
    // refusal itself is openDirectReader's, tested with the device reader.)
    const cached: string[] = [];
    const outcome = await verifyFolder(volume, { direct: false, onCachedReads: (reason) => cached.push(reason) });
    assert.ok(outcome.files > 10);
    assert.deepEqual(cached, ['O_DIRECT not requested by the caller; reads may come from the page cache']);
  });

  test('a changed byte is caught (VerifyFailed), through the unbuffered path', async () => {
    const file = join(volume, 'sources', 'boot.wim');
    const fd = openSync(file, 'r+');
    try {
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, 5000);
      byte[0]! ^= 0xff;
      writeSync(fd, byte, 0, 1, 5000);
    } finally {
      closeSync(fd);
    }
    await assert.rejects(verifyFolder(volume), (e: unknown) => e instanceof CaptureMediaError && e.id === 'VerifyFailed');
  });
});
