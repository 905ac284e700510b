// -Template and -ClientSource end to end through the real CLI (issue 18): the template is a
// "console-made" capture medium built by xorriso (ISO 9660 + Joliet), genisoimage (UDF bridge) and
// a UDF-only stub image from a stand-in tree (test/helpers/console-media.ts); the client source is
// a folder shaped like a site's OSD\bin. What lands on our media is checked by our own compare
// and by isoinfo/xorriso extraction.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { extractWim } from '../helpers/real-media.js';
import { clientSourceFolder, consoleTemplateTree, isoFromTree, TEMPLATE_TSM_BOOTSTRAP, udfBridgeIso, udfOnlyIso } from '../helpers/console-media.js';

let dir: string;
let cleanup: () => void;
let newWim: string;
let x86Wim: string;
let templateTree: string;
let templateIso: string;
let clientSource: string;

const BOOT_FILES = ['bootmgr', 'bootmgr.efi', 'efi\\boot\\bootx64.efi', 'efi\\microsoft\\boot\\*', 'boot\\*'];

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('template'));
  // The console's medium was made with an older boot image; we rebuild it with a new one.
  const oldWim = makeWinPeWim(join(dir, 'old'), {});
  newWim = makeWinPeWim(join(dir, 'new'), { extra: { 'Windows/Boot/EFI/boot.stl': 777 } });
  x86Wim = makeWinPeWim(join(dir, 'x86'), { arch: 0, extra: { 'sms/bin/i386/TsmBootstrap.exe': 100 } });
  const extracted = join(dir, 'old-extracted');
  await extractWim(oldWim, extracted);
  templateTree = consoleTemplateTree(join(dir, 'console-tree'), oldWim, extracted);
  templateIso = isoFromTree(templateTree, join(dir, 'console.iso'));
  clientSource = clientSourceFolder(join(dir, 'OSD', 'bin'));
});
after(() => cleanup());

async function create(args: string[]) {
  return runCli(['create', '--media-type', 'cddvd', '--json', ...args], { env: { SOURCE_DATE_EPOCH: '1764000000' } });
}

async function compare(reference: string, difference: string, expect: string[] = []) {
  const r = await runCli(['compare', '--reference-path', reference, '--difference-path', difference, '--json', ...expect.flatMap((e) => ['--expect-different', e])]);
  assert.ok(r.code === 0 || r.code === 6, r.stdout + r.stderr);
  return { code: r.code, result: JSON.parse(r.stdout) as { Same: boolean; Differences: { Kind: string; Path: string; Expected: boolean; Reference: string | null; Difference: string | null }[]; TsmBootstrap: { Key: string; Reference: string | null; Difference: string | null }[] } };
}

const extract = (iso: string, path: string) => {
  const out = join(dir, `x-${Math.random().toString(16).slice(2)}`);
  execFileSync('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', path, out], { stdio: 'ignore' });
  return readFileSync(out);
};
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('--template: console-made capture media rebuilt with a new boot image', () => {
  let ours: string;
  before(async () => {
    ours = join(dir, 'from-template.iso');
    const r = await create(['--path', ours, '--boot-image', newWim, '--template', templateIso, '--include-autorun']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(result.CaptureLauncher, true);
    assert.equal(result.ClientFiles, 'Template');
    assert.doesNotMatch(r.stderr, /TSMBAutorun/, 'no launcher warning');
  });

  test("compare with the template: only sources\\boot.wim and the boot files differ; SMS\\ byte for byte", async () => {
    // xorriso writes one volume id for ISO 9660 and Joliet; ours is "Configuration Ma" in Joliet.
    const { code, result } = await compare(templateIso, ours, ['sources\\boot.wim', ...BOOT_FILES, 'Label (Joliet)']);
    const unexpected = result.Differences.filter((d) => !d.Expected);
    assert.deepEqual(unexpected, [], JSON.stringify(unexpected, null, 1));
    assert.equal(code, 0);
    assert.ok(result.Differences.some((d) => d.Path === 'sources\\boot.wim' && d.Expected));
    assert.ok(!result.Differences.some((d) => d.Path.toLowerCase().startsWith('sms\\')), 'SMS\\ is identical');
    // boot.stl is new with the new boot image: ours only.
    assert.ok(result.Differences.some((d) => d.Kind === 'OnlyInDifference' && d.Path === 'efi\\microsoft\\boot\\boot.stl'));
  });

  test('TsmBootstrap.ini and autorun.inf are the template\'s, verbatim', () => {
    assert.equal(extract(ours, '/SMS/data/TsmBootstrap.ini').toString('latin1'), TEMPLATE_TSM_BOOTSTRAP);
    assert.ok(extract(ours, '/autorun.inf').equals(readFileSync(join(templateTree, 'autorun.inf'))));
    assert.ok(extract(ours, '/SMS/bin/x64/00000409/TsRes.dll').equals(readFileSync(join(templateTree, 'SMS/bin/x64/00000409/TsRes.dll'))));
  });

  test('the same template as a folder, a UDF bridge ISO and a UDF-only ISO gives the same media', async () => {
    const forms = {
      folder: templateTree,
      bridge: udfBridgeIso(templateTree, join(dir, 'console-udf-bridge.iso')),
      udfOnly: udfOnlyIso(templateTree, dir, join(dir, 'console-udf-only.iso')),
    };
    for (const [name, template] of Object.entries(forms)) {
      const out = join(dir, `from-${name}.iso`);
      const r = await create(['--path', out, '--boot-image', newWim, '--template', template, '--include-autorun']);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.equal(sha(out), sha(ours), `${name}: the media differ from the one built from the xorriso ISO`);
    }
  });

  test('a template that is a disc set (console.iso naming set1.iso, set2.iso): SMS\\ files from every disc', async () => {
    execFileSync('cp', [templateIso, join(dir, 'set1.iso')]);
    const disc2 = join(dir, 'disc2-tree');
    mkdirSync(join(disc2, 'SMS', 'bin', 'x64', 'extra'), { recursive: true });
    execFileSync('sh', ['-c', `printf 'STAND-IN on disc 2' > ${join(disc2, 'SMS', 'bin', 'x64', 'extra', 'disc2.dll')}`]);
    execFileSync('xorriso', ['-as', 'mkisofs', '-J', '-o', join(dir, 'set2.iso'), disc2], { stdio: 'ignore' });
    const out = join(dir, 'from-set.iso');
    const r = await create(['--path', out, '--boot-image', newWim, '--template', join(dir, 'set.iso')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(extract(out, '/SMS/bin/x64/extra/disc2.dll').toString(), 'STAND-IN on disc 2');
    assert.ok(extract(out, '/SMS/bin/x64/TSMBAutorun.exe').equals(readFileSync(join(templateTree, 'SMS/bin/x64/TSMBAutorun.exe'))));
  });

  test('an ISO whose ISO 9660 side has no SMS\\ folder and that has no UDF is refused: TemplateInvalid (exit 4)', async () => {
    const stubTree = join(dir, 'stub-only');
    mkdirSync(stubTree);
    execFileSync('sh', ['-c', `printf 'This disc contains a UDF file system.\\r\\n' > ${stubTree}/README.TXT`]);
    const stub = join(dir, 'stub.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-J', '-o', stub, stubTree], { stdio: 'ignore' });
    const r = await create(['--path', join(dir, 'never.iso'), '--boot-image', newWim, '--template', stub]);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const error = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
    assert.equal(error.id, 'TemplateInvalid');
    assert.match(error.message, /no SMS\\ folder and the image has no UDF file system/);
  });
});

describe('--client-source: the site OSD\\bin folder', () => {
  test('x64 boot image: SMS\\bin\\x64 is the client source x64 folder byte for byte; the boot image sms\\bin is not mixed in', async () => {
    const out = join(dir, 'client-x64.iso');
    const r = await create(['--path', out, '--boot-image', newWim, '--client-source', clientSource]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(result.CaptureLauncher, true);
    assert.equal(result.ClientFiles, 'ClientSource');
    const listing = execFileSync('isoinfo', ['-f', '-J', '-i', out], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('/SMS/bin/') && /\.\w+$/.test(l)).sort();
    assert.deepEqual(listing, ['/SMS/bin/x64/00000409/TsRes.dll', '/SMS/bin/x64/OSDCore.dll', '/SMS/bin/x64/OsdCaptureCd.exe', '/SMS/bin/x64/TSMBAutorun.exe', '/SMS/bin/x64/TsRes.dll']);
    assert.ok(extract(out, '/SMS/bin/x64/TSMBAutorun.exe').equals(readFileSync(join(clientSource, 'x64/TSMBAutorun.exe'))));
    assert.equal(extract(out, '/SMS/data/TsmBootstrap.ini').toString(), '[MediaInfo]\r\nMediaType=FullMedia\r\nPasswordRequired=false\r\nUnattended=false\r\n');
    const verify = await runCli(['verify', '--path', out, '--json']);
    assert.equal(verify.code, 0, verify.stderr);
    assert.equal((JSON.parse(verify.stdout) as { CaptureLauncher: boolean }[])[0]!.CaptureLauncher, true);
  });

  test('x86 boot image: the i386 folder becomes SMS\\bin\\i386', async () => {
    const out = join(dir, 'client-x86.iso');
    const r = await create(['--path', out, '--boot-image', x86Wim, '--client-source', clientSource]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(extract(out, '/SMS/bin/i386/TSMBAutorun.exe').equals(readFileSync(join(clientSource, 'i386/TSMBAutorun.exe'))));
  });

  test('a folder without the architecture folder: ClientSourceInvalid (exit 3) naming it and the fix', async () => {
    const r = await create(['--path', join(dir, 'never.iso'), '--boot-image', newWim, '--client-source', join(clientSource, 'x64')]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const error = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
    assert.equal(error.id, 'ClientSourceInvalid');
    assert.match(error.message, /has no x64 folder.*OSD\\bin/);
  });

  test('a client source that does not exist: ClientSourceInvalid before anything is read', async () => {
    const r = await create(['--path', join(dir, 'never.iso'), '--boot-image', newWim, '--client-source', join(dir, 'nope')]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /ClientSourceInvalid/);
  });

  test('a symbolic link in the client source is refused, not followed (ClientSourceInvalid)', async () => {
    const linked = join(dir, 'OSD-linked');
    execFileSync('cp', ['-a', clientSource, linked]);
    execFileSync('ln', ['-s', '/etc/passwd', join(linked, 'x64', 'passwd.dll')]);
    const r = await create(['--path', join(dir, 'never.iso'), '--boot-image', newWim, '--client-source', linked]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /ClientSourceInvalid.*symbolic link/);
  });

  test('--client-source with --template: ParameterConflict (exit 2)', async () => {
    const r = await create(['--path', join(dir, 'never.iso'), '--boot-image', newWim, '--client-source', clientSource, '--template', templateIso]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /ParameterConflict/);
  });
});

describe('without either: media as before, and the result says it cannot start a capture', () => {
  test('CaptureLauncher false, a warning naming TSMBAutorun.exe, -ClientSource and -Template', async () => {
    const out = join(dir, 'plain.iso');
    const r = await runCli(['create', '--media-type', 'cddvd', '--path', out, '--boot-image', newWim, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Record<string, unknown>).CaptureLauncher, false);
    const text = await runCli(['create', '--media-type', 'cddvd', '--path', join(dir, 'plain2.iso'), '--boot-image', newWim]);
    assert.match(text.stderr, /WARNING: .*TSMBAutorun\.exe.*-ClientSource.*-Template/);
    const verify = await runCli(['verify', '--path', out, '--json']);
    assert.equal((JSON.parse(verify.stdout) as { CaptureLauncher: boolean }[])[0]!.CaptureLauncher, false);
  });

  test('--require-capture-launcher: CaptureLauncherMissing (exit 3), nothing written', async () => {
    const out = join(dir, 'strict.iso');
    const r = await create(['--path', out, '--boot-image', newWim, '--require-capture-launcher']);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /CaptureLauncherMissing/);
    assert.throws(() => readFileSync(out));
  });
});
