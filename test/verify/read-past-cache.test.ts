// Verify of ISO and image files reads what reached the disk: past the page cache (O_DIRECT) on a
// file system that allows it, else through the cache with the reason given; a damaged byte is
// caught either way. The media are made by the real CLI from a WIM made by wimlib, with a boot
// image large enough for the side lane, so the files read back were written by both lanes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { describeReads } from '../../src/verify/verify-manifest.js';
import { verifyFat } from '../../src/verify/verify-fat.js';
import { verifyIso } from '../../src/verify/verify-iso.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

const MiB = 1024 * 1024;
let dir: string;
let cleanup: () => void;
let iso: string;
let img: string;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('read-past-cache'));
  // 20 MiB of incompressible-enough files: boot.wim is over the side lane's 16 MiB.
  const wim = makeWinPeWim(join(dir, 'wim'), { extra: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`sms/bin/x64/big${i}.bin`, 4 * MiB])) });
  iso = join(dir, 'm.iso');
  img = join(dir, 'm.img');
  for (const [type, path] of [['cddvd', iso], ['usbimage', img]] as const) {
    const r = await runCli(['create', '--media-type', type, '--path', path, '--boot-image', wim, '--no-verify', '--json']);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(() => cleanup());

describe('verify reads the disk, not the page cache', () => {
  test('ISO: read past the page cache, every file matches, and the log line says so', async () => {
    const outcome = await verifyIso(iso);
    assert.equal(outcome.readsBypassedCache, true);
    assert.equal(outcome.cachedReadsReason, undefined);
    assert.ok(outcome.files > 10);
    assert.equal(describeReads(outcome), ' (read from the disk, past the page cache)');
  });

  test('USB image: the same', async () => {
    const outcome = await verifyFat(img);
    assert.equal(outcome.readsBypassedCache, true);
    assert.ok(outcome.files > 10);
  });

  test('the fallback (cached reads) verifies the same files and gives its reason for the log', async () => {
    for (const outcome of [await verifyIso(iso, { direct: false }), await verifyFat(img, { direct: false })]) {
      assert.equal(outcome.readsBypassedCache, false);
      assert.match(outcome.cachedReadsReason ?? '', /O_DIRECT not requested/);
      assert.match(describeReads(outcome), /^ \(read through the page cache: O_DIRECT not requested/);
    }
  });

  for (const [name, path, verify] of [
    ['ISO', () => iso, verifyIso],
    ['USB image', () => img, verifyFat],
  ] as const) {
    test(`${name}: a damaged byte is caught (VerifyFailed) past the cache and through it`, async () => {
      // 3 MiB in is inside boot.wim (20+ MiB), the first file of both media.
      const file = path();
      const fd = openSync(file, 'r+');
      const at = 3 * MiB + 12_345;
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, at);
      writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, at);
      closeSync(fd);
      try {
        for (const direct of [true, false]) {
          await assert.rejects(
            (verify as (p: string, o: { direct: boolean }) => Promise<unknown>)(file, { direct }),
            (e: unknown) => e instanceof CaptureMediaError && (e.id === 'VerifyFailed' || e.id === 'MediaInvalid'),
          );
        }
      } finally {
        const again = openSync(file, 'r+');
        writeSync(again, Buffer.from([byte[0]!]), 0, 1, at);
        closeSync(again);
      }
    });
  }
});
