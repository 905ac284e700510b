// The media tree (README "What is on the media") built from a real WIM (made by wimlib-imagex).
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

describe('media tree', () => {
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
    // The boot image's sms\bin has no TSMBAutorun.exe (ConfigMgr does not inject it): said once.
    assert.equal(t.captureLauncher, false);
    assert.equal(t.clientFilesOrigin, 'BootImage');
    assert.equal(t.warnings.length, 1);
    assert.match(t.warnings[0]!, /no SMS\\bin\\x64\\TSMBAutorun\.exe.*-ClientSource .*-Template/);
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
    // Only keys a public source shows (src/layout/configmgr-names.ts cites each).
    assert.equal(await text('SMS\\data\\TsmBootstrap.ini'), '[MediaInfo]\r\nMediaType=FullMedia\r\nPasswordRequired=false\r\nUnattended=false\r\n');
    assert.match(await text('autorun.inf'), /open=SMS\\bin\\x64\\TSMBAutorun\.exe/);
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

  test('arm64: bootaa64.efi, no BIOS bootmgr; client binaries from sms\\bin\\x64, ADK tools from sms\\bin\\arm64', async () => {
    const t = await treeFor('arm64', { arch: 12, extra: { 'sms/bin/arm64/wpeutil-tool.exe': 100 } }, { architecture: 'arm64' });
    const p = paths(t);
    assert.ok(p.includes('efi\\boot\\bootaa64.efi'));
    assert.ok(!p.includes('bootmgr'));
    assert.ok(p.includes('SMS\\bin\\x64\\TsmBootstrap.exe'), p.join(' '));
    assert.ok(p.includes('SMS\\bin\\arm64\\wpeutil-tool.exe'));
    assert.deepEqual(t.bootModes, ['UEFI']);
  });
});

describe('boot.stl and the SMS\\ files (issue 18)', () => {
  test('Windows\\Boot\\EFI\\boot.stl goes to efi\\microsoft\\boot\\boot.stl, on disc 1', async () => {
    const t = await treeFor('stl', { extra: { 'Windows/Boot/EFI/boot.stl': 321 } });
    const stl = t.files.find((f) => f.path.join('\\') === 'efi\\microsoft\\boot\\boot.stl');
    assert.equal(stl?.content.sizeBytes, 321);
    assert.ok(t.bootSet.has('efi\\microsoft\\boot\\boot.stl'));
  });

  test('client files replace the boot image sms\\bin entirely; the launcher is then found', async () => {
    const launcher = { path: ['SMS', 'bin', 'x64', 'TSMBAutorun.exe'], content: bufferSource(new Uint8Array([1, 2, 3])) };
    const t = await treeFor('client', {}, { clientFiles: { origin: 'ClientSource', where: '/osd/bin', files: [launcher] } });
    const p = paths(t);
    assert.ok(p.includes('SMS\\bin\\x64\\TSMBAutorun.exe'));
    assert.ok(!p.includes('SMS\\bin\\x64\\TsmBootstrap.exe'), 'no file of the boot image sms\\bin is mixed in');
    assert.equal(t.captureLauncher, true);
    assert.equal(t.clientFilesOrigin, 'ClientSource');
    assert.deepEqual(t.warnings, []);
  });

  test("a template's TsmBootstrap.ini and autorun.inf are used verbatim", async () => {
    const ini = { path: ['SMS', 'data', 'TsmBootstrap.ini'], content: bufferSource(Buffer.from('[MediaInfo]\r\nNeverGenerated=1\r\n')) };
    const autorun = { path: ['AUTORUN.INF'], content: bufferSource(Buffer.from('[autorun]\r\nopen=template\r\n')) };
    const t = await treeFor('template', {}, { includeAutoRun: true, clientFiles: { origin: 'Template', where: 't.iso', files: [ini], autorun } });
    const iniFiles = t.files.filter((f) => f.path.join('\\').toLowerCase() === 'sms\\data\\tsmbootstrap.ini');
    assert.equal(iniFiles.length, 1);
    assert.equal(iniFiles[0]!.content, ini.content);
    assert.equal(t.files.find((f) => f.path.join('\\') === 'autorun.inf')?.content, autorun.content);
    assert.match(t.warnings.join('\n'), /template t\.iso lacks it/);
  });

  test('requireCaptureLauncher turns the warning into CaptureLauncherMissing (exit 3)', async () => {
    await assert.rejects(
      treeFor('strict', {}, { requireCaptureLauncher: true }),
      (e: unknown) => e instanceof CaptureMediaError && e.id === 'CaptureLauncherMissing' && e.exitCode === 3 && /TSMBAutorun\.exe/.test(e.message),
    );
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
