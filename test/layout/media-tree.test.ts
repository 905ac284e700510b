// The media tree of DESIGN.md §4 built from a real WIM (made by wimlib-imagex).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildMediaTree, type MediaTreeOptions } from '../../src/layout/media-tree.js';
import { openWim, type WimFile } from '../../src/wim/index.js';
import { bufferSource } from '../../src/io/content.js';
import { CaptureMediaError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import type { Architecture } from '../../src/plan/architecture.js';

let dir: string;
let cleanup: () => void;
const opened: WimFile[] = [];
before(() => ({ path: dir, cleanup } = makeTempDir('layout')));
after(async () => {
  for (const w of opened) await w.close();
  cleanup();
});

async function treeFor(name: string, wimOptions: Parameters<typeof makeWinPeWim>[1], overrides: Partial<MediaTreeOptions> & { architecture?: Architecture } = {}) {
  const wimPath = makeWinPeWim(join(dir, name), wimOptions);
  const wim = await openWim(wimPath);
  opened.push(wim);
  const image = await wim.openImage(1);
  return buildMediaTree({
    image,
    architecture: 'x64',
    bootWim: bufferSource(new Uint8Array(10)),
    bootImageName: 'boot.wim',
    label: 'Configuration Manager',
    includeAutoRun: false,
    medium: 'cd',
    recordedAt: new Date(0),
    createdBy: 'test',
    ...overrides,
  });
}

const paths = (t: { files: readonly { path: readonly string[] }[] }) => t.files.map((f) => f.path.join('\\')).sort();

describe('media tree (DESIGN.md §4)', () => {
  test('x64 CD media: every boot file where ConfigMgr puts it', async () => {
    const t = await treeFor('x64', {});
    assert.deepEqual(paths(t), [
      'MediaLabel.txt',
      'SMS\\bin\\x64\\TsmBootstrap.exe',
      'SMS\\bin\\x64\\en-US\\TsRes.dll.mui',
      'SMS\\data\\TsmBootstrap.ini',
      'boot\\bcd',
      'boot\\boot.sdi',
      'boot\\etfsboot.com',
      'boot\\fonts\\segmono_boot.ttf',
      'boot\\fonts\\wgl4_boot.ttf',
      'bootmgr',
      'bootmgr.efi',
      'efi\\boot\\bootx64.efi',
      'efi\\microsoft\\boot\\bcd',
      'efi\\microsoft\\boot\\efisys.bin',
      'efi\\microsoft\\boot\\fonts\\segmono_boot.ttf',
      'efi\\microsoft\\boot\\fonts\\wgl4_boot.ttf',
      'sources\\boot.wim',
    ]);
    assert.deepEqual(t.bootModes, ['BIOS', 'UEFI']);
    assert.deepEqual(t.warnings, []);
    assert.deepEqual(t.biosBootFile, ['boot', 'etfsboot.com']);
    assert.deepEqual(t.uefiBootFile, ['efi', 'microsoft', 'boot', 'efisys.bin']);
  });

  test('MediaLabel.txt is label=<label> with CRLF; autorun.inf only on request', async () => {
    const t = await treeFor('label', {}, { includeAutoRun: true, label: 'Capture x64' });
    const text = async (p: string) => {
      const f = t.files.find((x) => x.path.join('\\') === p)!;
      const chunks: Uint8Array[] = [];
      for await (const c of f.content.stream()) chunks.push(c);
      return Buffer.concat(chunks).toString('utf8');
    };
    assert.equal(await text('MediaLabel.txt'), 'label=Capture x64\r\n');
    assert.match(await text('autorun.inf'), /^\[autorun\]\r\n/);
    assert.match(await text('SMS\\data\\TsmBootstrap.ini'), /^\[MediaInfo\]\r\n/);
  });

  test('a missing etfsboot.com costs BIOS boot, with a warning that says so', async () => {
    const t = await treeFor('nobios', { omit: ['Windows/Boot/DVD/PCAT/etfsboot.com'] });
    assert.deepEqual(t.bootModes, ['UEFI']);
    assert.equal(t.biosBootFile, undefined);
    assert.ok(t.warnings.some((w) => w.includes('etfsboot.com') && w.includes('BIOS')), t.warnings.join('\n'));
  });

  test('a missing efisys.bin costs UEFI boot of the disc', async () => {
    const t = await treeFor('nouefi', { omit: ['Windows/Boot/DVD/EFI/en-US/efisys.bin'] });
    assert.deepEqual(t.bootModes, ['BIOS']);
    assert.ok(t.warnings.some((w) => w.includes('efisys.bin') && w.includes('UEFI')));
  });

  test('no loader for either firmware -> BootFilesMissing', async () => {
    await assert.rejects(
      treeFor('none', { omit: ['Windows/Boot/DVD/PCAT/etfsboot.com', 'Windows/Boot/EFI/bootmgfw.efi'] }),
      (e: unknown) => e instanceof CaptureMediaError && e.id === 'BootFilesMissing' && e.exitCode === 4,
    );
  });

  test('USB media: no El Torito files, UEFI boot from efi\\boot', async () => {
    const t = await treeFor('usb', {}, { medium: 'usb' });
    const p = paths(t);
    assert.ok(!p.includes('boot\\etfsboot.com'));
    assert.ok(!p.includes('efi\\microsoft\\boot\\efisys.bin'));
    assert.ok(p.includes('efi\\boot\\bootx64.efi'));
    assert.deepEqual(t.bootModes, ['UEFI']);
  });

  test('arm64: bootaa64.efi, no BIOS bootmgr', async () => {
    const t = await treeFor('arm64', { arch: 12, extra: { 'sms/bin/arm64/TsmBootstrap.exe': 100 } }, { architecture: 'arm64' });
    const p = paths(t);
    assert.ok(p.includes('efi\\boot\\bootaa64.efi'));
    assert.ok(!p.includes('bootmgr'));
    assert.ok(p.includes('SMS\\bin\\arm64\\TsmBootstrap.exe'));
    assert.deepEqual(t.bootModes, ['UEFI']);
  });
});

describe('manifest hashes', () => {
  test('an empty file has its SHA-256 without being streamed (writers give it no extent)', async () => {
    const { HashRecorder } = await import('../../src/layout/manifest.js');
    const recorder = new HashRecorder();
    recorder.wrap({ path: ['SMS', 'bin', 'x64', 'smsts.ini'], content: bufferSource(new Uint8Array(0)) });
    assert.equal(recorder.get('SMS/bin/x64/smsts.ini'), 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855');
  });
});
