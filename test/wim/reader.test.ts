// The WIM reader against wimlib-imagex: every file of every fixture WIM extracted by us must be
// byte-for-byte what `wimlib-imagex apply` wrote, and the API must describe the images as
// wimlib's XML says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { openWim, type WimFile } from '../../src/wim/index.js';
import { readTree, wimFixtures } from './fixtures.js';

const dir = wimFixtures();

async function withWim<T>(name: string, fn: (wim: WimFile) => Promise<T>): Promise<T> {
  const wim = await openWim(join(dir, name));
  try {
    return await fn(wim);
  } finally {
    await wim.close();
  }
}

const cases: Array<[string, number, 'none' | 'xpress' | 'lzx', number]> = [
  ['none', 1, 'none', 32768],
  ['xpress', 1, 'xpress', 32768],
  ['xpress16k', 1, 'xpress', 16384],
  ['lzx', 1, 'lzx', 32768],
  ['lzx64k', 1, 'lzx', 65536],
  ['lzx1m', 1, 'lzx', 1048576],
  ['multi', 1, 'lzx', 32768],
  ['multi', 2, 'lzx', 32768],
  ['small-lzx', 1, 'lzx', 32768],
  ['small-xpress', 1, 'xpress', 32768],
];

for (const [name, index, compression, chunk] of cases) {
  test(`${name}.wim image ${index}: extractTree matches wimlib-imagex apply byte for byte`, async () => {
    const out = mkdtempSync(join(tmpdir(), 'wim-test-'));
    try {
      await withWim(`${name}.wim`, async (wim) => {
        assert.equal(wim.compression, compression);
        assert.equal(wim.chunkSizeBytes, chunk);
        const image = await wim.openImage(index);
        const result = await image.extractTree('', out);
        const ours = readTree(out);
        const ref = readTree(join(dir, `ref-${name}-${index}`));
        assert.deepEqual([...ours.keys()], [...ref.keys()]);
        let bytes = 0;
        for (const [path, data] of ref) {
          assert.ok(data.equals(ours.get(path)!), `${path} differs`);
          if (!path.endsWith('/')) bytes += data.length;
        }
        assert.equal(result.bytes, bytes);
        assert.equal(result.files, [...ref.keys()].filter((p) => !p.endsWith('/')).length);
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('image info, boot index and architecture come from the header and XML', async () => {
  await withWim('lzx.wim', async (wim) => {
    assert.equal(wim.bootIndex, 1);
    assert.equal(wim.sizeBytes, statSync(join(dir, 'lzx.wim')).size);
    assert.equal(wim.images.length, 1);
    const info = wim.images[0]!;
    assert.equal(info.index, 1);
    assert.equal(info.name, 'Microsoft Windows PE (x64)');
    assert.equal(info.description, 'Boot image');
    assert.equal(info.architecture, 'x64');
    assert.equal(info.version, '10.0.26100.1');
    assert.ok(info.totalBytes > 9_000_000);
  });
  await withWim('multi.wim', async (wim) => {
    assert.equal(wim.bootIndex, 2);
    assert.deepEqual(
      wim.images.map((i) => [i.index, i.name, i.architecture, i.version]),
      [
        [1, 'Full', 'x64', '10.0.26100.1'],
        [2, 'Second', 'x86', ''],
      ],
    );
  });
  await withWim('small-lzx.wim', async (wim) => {
    assert.equal(wim.bootIndex, 0);
    assert.equal(wim.images[0]!.architecture, 'arm64');
  });
  await withWim('small-xpress.wim', async (wim) => assert.equal(wim.images[0]!.architecture, 'unknown'));
});

test('lookup, list and walk: case-insensitive, either separator, entries as on disk', async () => {
  await withWim('lzx.wim', async (wim) => {
    const image = await wim.openImage(1);
    const tree = join(dir, 'tree');
    for (const path of ['Windows\\Boot\\EFI\\bootmgfw.efi', '/windows/boot/efi/BOOTMGFW.EFI', 'WINDOWS/Boot\\efi/bootmgfw.efi']) {
      const e = image.lookup(path);
      assert.ok(e, path);
      assert.equal(e.path, 'Windows\\Boot\\EFI\\bootmgfw.efi');
      assert.equal(e.name, 'bootmgfw.efi');
      assert.equal(e.isDirectory, false);
      const bytes = readFileSync(join(tree, 'Windows/Boot/EFI/bootmgfw.efi'));
      assert.equal(e.sizeBytes, bytes.length);
      assert.equal(e.sha1, createHash('sha1').update(bytes).digest('hex'));
      assert.equal(e.modified.getTime(), Math.floor(statSync(join(tree, 'Windows/Boot/EFI/bootmgfw.efi')).mtimeMs));
    }
    assert.equal(image.lookup('Windows\\Boot\\EFI\\missing.efi'), undefined);
    assert.equal(image.lookup('Windows\\Boot\\EFI\\bootmgfw.efi\\x'), undefined);
    const empty = image.lookup('sms\\bin\\x64\\empty.txt')!;
    assert.equal(empty.sizeBytes, 0);
    assert.equal(empty.sha1, '');
    const unicode = image.lookup('SMS/BIN/X64/DONNÉES-Ü.TXT');
    assert.equal(unicode?.name, 'données-ü.txt');
    const root = image.lookup('');
    assert.equal(root?.isDirectory, true);
    assert.equal(root?.path, '');
    const fonts = image.list('Windows\\Boot\\Fonts').map((e) => e.name).sort();
    assert.deepEqual(fonts, ['DejaVuSans.ttf', 'DejaVuSansMono.ttf', 'DejaVuSerif-Bold.ttf']);
    assert.deepEqual(image.list('no\\such\\dir'), []);
    assert.equal(image.lookup('Windows\\System32\\empty-dir')?.isDirectory, true);
    assert.deepEqual(image.list('Windows\\System32\\empty-dir'), []);
    const walked = [...image.walk('Windows\\Boot')].map((e) => e.path);
    assert.ok(walked.includes('Windows\\Boot\\DVD\\EFI\\en-US\\efisys.bin'));
    assert.ok(walked.indexOf('Windows\\Boot\\DVD') < walked.indexOf('Windows\\Boot\\DVD\\EFI\\BCD'));
    assert.ok(!walked.includes('Windows\\Boot'));
    const all = [...image.walk()];
    assert.equal(all.filter((e) => !e.isDirectory).length, 27);
  });
});

test('extractFile and contentSource stream one file; a missing path is BootFilesMissing', async () => {
  await withWim('xpress.wim', async (wim) => {
    const image = await wim.openImage(1);
    const chunks: Buffer[] = [];
    for await (const chunk of image.extractFile('windows/boot/dvd/pcat/boot.sdi')) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(readFileSync(join(dir, 'tree/Windows/Boot/DVD/PCAT/boot.sdi'))));
    const entry = image.lookup('sms\\bin\\x64\\edge-32769.txt')!;
    const source = image.contentSource(entry);
    assert.equal(source.sizeBytes, 32769);
    let total = 0;
    for await (const chunk of source.stream()) total += chunk.length;
    assert.equal(total, 32769);
    assert.throws(() => image.extractFile('Windows\\nope'), (e: unknown) => e instanceof CaptureMediaError && e.id === 'BootFilesMissing');
    await assert.rejects(wim.openImage(2), (e: unknown) => e instanceof CaptureMediaError && e.id === 'InvalidParameter');
  });
});

test('extractTree of a subdirectory, and cancellation through the signal', async () => {
  const out = mkdtempSync(join(tmpdir(), 'wim-test-'));
  try {
    await withWim('lzx64k.wim', async (wim) => {
      const image = await wim.openImage(1);
      const result = await image.extractTree('windows\\boot\\dvd', out);
      assert.equal(result.files, 5);
      assert.ok(readFileSync(join(out, 'EFI/en-US/efisys.bin')).equals(readFileSync(join(dir, 'tree/Windows/Boot/DVD/EFI/en-US/efisys.bin'))));
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(image.extractTree('', join(out, 'x'), controller.signal), (e: unknown) => e instanceof CaptureMediaError && e.id === 'Cancelled');
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('LZMS, solid, pipable and split WIMs are refused with typed errors', async () => {
  const expectId = async (name: string, id: string, pattern: RegExp) =>
    assert.rejects(openWim(join(dir, name)), (e: unknown) => e instanceof CaptureMediaError && e.id === id && pattern.test(e.message));
  await expectId('lzms.wim', 'WimUnsupportedCompression', /LZMS/);
  await expectId('solid-lzms.wim', 'WimUnsupportedCompression', /LZMS/);
  await expectId('solid.wim', 'WimUnsupportedCompression', /solid/);
  await expectId('pipable.wim', 'WimInvalid', /pipable/);
  await expectId('split.swm', 'WimInvalid', /split/);
  await expectId('split2.swm', 'WimInvalid', /split/);
});
