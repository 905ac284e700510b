// Security-minded reliability cases (project issue 9): hostile names in a content library or a
// WIM never reach a path outside the media; the CMTrace log holds no environment values or
// secrets; our temporary files are private (0600) while incomplete; odd output paths behave.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, lstatSync, writeFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeContentLibrary } from '../../scripts/make-content-library.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { makeBigWim, runBridge, snapshot, startBridge, tempFilesIn } from './harness.js';

let dir: string;
let cleanup: () => void;
let wim: string;
let bigWim: string;
let out: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('security'));
  wim = makeWinPeWim(join(dir, 'wim'));
  bigWim = makeBigWim(join(dir, 'bigwim'));
  out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'existing.iso'), 'existing media\n');
});
after(() => cleanup());

/** Every path under `root` whose name mentions "evil" (what a traversal would have written). */
function evilFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (/evil/i.test(name) && !full.includes(`${join(dir, 'lib')}`)) found.push(relative(dir, full));
      if (lstatSync(full).isDirectory()) walk(full);
    }
  };
  walk(root);
  return found;
}

interface ErrorJson {
  error: { id: string; message: string; target?: string };
}

describe('hostile names never leave the media tree', () => {
  async function libraryWith(name: string, hostileIni: string): Promise<string> {
    const root = join(dir, name);
    await makeContentLibrary({
      root,
      packageId: 'PS100004',
      files: [
        { source: wim, name: 'boot.PS100004.wim' },
        { bytes: Buffer.from('evil payload'), name: 'ok.txt' },
      ],
    });
    // Rename the harmless file's DataLib entry to the hostile name, as a tampered DP would hold it.
    const contentDir = join(root, 'DataLib', 'PS100004.1');
    const target = join(contentDir, hostileIni);
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(contentDir, 'ok.txt.INI'), target);
    return root;
  }

  for (const [label, hostile] of [
    ['..\\..\\evil', '..\\..\\evil.txt.INI'],
    ['..\\..\\..\\..\\tmp\\evil', '..\\..\\..\\..\\tmp\\evil.txt.INI'],
    ['C:\\evil (drive letter)', 'C:\\evil.txt.INI'],
    ['a folder named C:evil', 'C:evil/evil.txt.INI'],
    ['a trailing dot (Windows strips it: evil.txt. == evil.txt)', 'evil.txt..INI'],
  ] as const) {
    test(`DataLib entry ${label} -> ContentLibraryInvalid, exit 4, nothing written anywhere`, async () => {
      const lib = await libraryWith(`lib-${label.replace(/[^a-z0-9]/gi, '')}`, hostile);
      const before = snapshot(out);
      const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'existing.iso'), '--force', '--boot-image', 'PS100004', '--distribution-point', lib]);
      const e = (JSON.parse(r.stdout) as ErrorJson).error;
      assert.equal(e.id, 'ContentLibraryInvalid', r.stdout);
      assert.equal(r.code, 4);
      assert.ok(e.target?.startsWith(join(lib, 'DataLib')), `the error names the offending library file: ${e.target}`);
      assert.deepEqual(snapshot(out), before);
      assert.deepEqual(evilFiles(dir).filter((p) => !p.startsWith('lib-')), []);
    });
  }

  test('PkgLib listing a content id with traversal (..\\..\\x.1) -> refused with exit 4, nothing written', async () => {
    const lib = join(dir, 'lib-pkg');
    await makeContentLibrary({ root: lib, packageId: 'PS100004', files: [{ source: wim, name: 'boot.PS100004.wim' }] });
    writeFileSync(join(lib, 'PkgLib', 'PS100004.INI'), '[Packages]\r\n..\\..\\..\\evil.1=\r\n');
    const before = snapshot(out);
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'existing.iso'), '--force', '--boot-image', 'PS100004', '--distribution-point', lib]);
    const e = (JSON.parse(r.stdout) as ErrorJson).error;
    assert.ok(['ContentLibraryInvalid', 'BootImageNotFound'].includes(e.id), r.stdout);
    assert.equal(r.code, 4);
    assert.deepEqual(snapshot(out), before);
  });

  test('a WIM entry named ..\\..\\..\\evil.txt under sms\\bin -> WimInvalid, exit 4, nothing written', async () => {
    const hostile = makeWinPeWim(join(dir, 'evilwim'), { extra: { 'sms/bin/x64/..\\..\\..\\evil.txt': 10 } });
    for (const [type, name] of [['cddvd', 'existing.iso'], ['usbimage', 'new.img']] as const) {
      const before = snapshot(out);
      const r = await runCli(['create', '--json', '--media-type', type, '--path', join(out, name), '--force', '--boot-image', hostile]);
      const e = (JSON.parse(r.stdout) as ErrorJson).error;
      assert.equal(e.id, 'WimInvalid', r.stdout);
      assert.equal(r.code, 4);
      assert.match(e.message, /unsafe file name/);
      assert.deepEqual(snapshot(out), before);
    }
  });
});

describe('the CMTrace log keeps no secrets', () => {
  test('environment values (SECRET_TOKEN, a password) never appear in the log, on success or failure', async () => {
    const secret = `tok-${Math.random().toString(36).slice(2)}-S3CR3T`;
    const password = `P@ss-${Math.random().toString(36).slice(2)}`;
    const env = { SECRET_TOKEN: secret, CAPTUREMEDIA_PASSWORD: password, DP_PASSWORD: password, CAPTUREMEDIA_NO_LOG: '0' };
    const log = join(dir, 'logs', 'capture.log');
    const ok = await runCli(['create', '--json', '--verbose', '--media-type', 'cddvd', '--path', join(dir, 'log-ok.iso'), '--boot-image', wim, '--log-path', log], { env });
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(dir, 'log-bad.iso'), '--boot-image', join(dir, 'missing.wim'), '--log-path', log], { env });
    assert.notEqual(bad.code, 0);
    const viaBridge = await runBridge({ command: 'create', params: { mediaType: 'UsbImage', path: [join(dir, 'log.img')], bootImage: wim, logPath: log } }, env);
    assert.equal(viaBridge.code, 0, viaBridge.stderr);
    const text = readFileSync(log, 'utf8');
    assert.match(text, /<!\[LOG\[capture-media (\S+ )?create started/);
    assert.ok(text.split('\n').filter(Boolean).length >= 10, 'the log has the three runs');
    assert.ok(!text.includes(secret), 'SECRET_TOKEN value in the log');
    assert.ok(!text.includes(password), 'password value in the log');
    assert.doesNotMatch(text, /passw(or)?d|secret|token|api[_-]?key|credential/i);
    // No environment variable value of any length that could be one: only paths we were given.
    // (npm's own npm_* variables are skipped: npm_package_name is "capture-media", which the log
    // rightly names as its component; it is no secret.)
    for (const [key, value] of Object.entries(process.env)) {
      if (!value || value.length < 12 || value.includes('/') || key.startsWith('npm_')) continue;
      assert.ok(!text.includes(value), `the value of ${key} appears in the log`);
    }
    for (const r of [ok, bad]) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    }
  });
});

describe('--log-path never writes into inputs or existing media', () => {
  // The log is opened (and its first line appended) before the plan is checked, so a log path
  // that names another file of the job appends CMTrace lines to it.
  test('--log-path naming the boot WIM -> refused (LogPathInvalid, exit 2), the WIM byte-identical', async () => {
    const source = join(dir, 'logwim', 'boot.wim');
    mkdirSync(join(dir, 'logwim'), { recursive: true });
    writeFileSync(source, readFileSync(wim));
    const before = snapshot(join(dir, 'logwim'));
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(dir, 'logwim-out.iso'), '--boot-image', source, '--log-path', source]);
    assert.deepEqual(snapshot(join(dir, 'logwim')), before, `the source boot image was modified (exit ${r.code})`);
    assert.equal((JSON.parse(r.stdout) as ErrorJson).error?.id, 'LogPathInvalid', r.stdout.slice(0, 300));
    assert.equal(r.code, 2);
  });

  test('--log-path naming an existing ISO (refused as OutputExists) -> that ISO byte-identical', async () => {
    const existing = join(out, 'existing.iso');
    const before = snapshot(out);
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', existing, '--boot-image', wim, '--log-path', existing]);
    assert.notEqual(r.code, 0);
    assert.deepEqual(snapshot(out), before, `a refused run (${r.stdout.slice(0, 120)}) appended its log to the existing ISO`);
  });
});

describe('temporary files are private', () => {
  for (const [mediaType, name] of [['CdDvd', 'private.iso'], ['UsbImage', 'private.img']] as const) {
    test(`${mediaType}: the temporary file is 0600 while it is written; the committed file is an ordinary 0644`, async () => {
      const target = join(out, name);
      const run = startBridge({ command: 'create', params: { mediaType, path: [target], bootImage: bigWim, force: true } });
      const hit = await run.waitFor((e) => e.type === 'progress' && e.phase === 'write' && (e.percent ?? 0) > 0);
      assert.ok(hit, 'a write progress event arrived');
      const temps = tempFilesIn(out);
      assert.equal(temps.length, 1, `one temporary file mid-write: ${temps.join(', ')}`);
      const mode = statSync(join(out, temps[0]!)).mode & 0o777;
      assert.equal(mode.toString(8), '600');
      const { code } = await run.done;
      assert.equal(code, 0);
      assert.equal((statSync(target).mode & 0o777 & ~0o022).toString(8), '644');
      assert.deepEqual(tempFilesIn(out), []);
    });
  }
});

describe('output path tricks', () => {
  const create = (path: string, extra: string[] = []) => runCli(['create', '--json', '--media-type', 'cddvd', '--path', path, '--boot-image', wim, ...extra]);

  for (const [label, path] of [
    ['a trailing dot', 'capture.iso.'],
    ['a trailing space', 'capture.iso '],
    ['trailing dots and spaces', 'capture.iso. . '],
  ] as const) {
    test(`${label} ("${path}") -> OutputPathInvalid, exit 2, nothing written (Windows would strip it and write capture.iso)`, async () => {
      const before = snapshot(out);
      const r = await create(join(out, path));
      assert.equal((JSON.parse(r.stdout) as ErrorJson).error.id, 'OutputPathInvalid');
      assert.equal(r.code, 2);
      assert.deepEqual(snapshot(out), before);
    });
  }

  test('".." segments are resolved before use: the result names the real, normalized path', async () => {
    const sub = join(out, 'sub');
    mkdirSync(sub, { recursive: true });
    const r = await create(`${sub}/../sub/./../dotdot.iso`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { Path: string[] }).Path, [join(out, 'dotdot.iso')]);
    assert.ok(statSync(join(out, 'dotdot.iso')).isFile());
    assert.deepEqual(readdirSync(sub), []);
  });

  test('a ".." that climbs out of the output folder is refused by the existence checks, not followed blindly', async () => {
    const r = await create(join(out, 'no-such-dir', '..', '..', 'no-such-either', 'x.iso'));
    assert.equal((JSON.parse(r.stdout) as ErrorJson).error.id, 'OutputDirectoryMissing');
    assert.equal(r.code, 3);
  });

  test('--force on a symbolic link replaces the link, never the file it points to', async () => {
    const victim = join(dir, 'victim.iso');
    writeFileSync(victim, 'somebody else\'s file\n');
    const link = join(out, 'link.iso');
    rmSync(link, { force: true });
    symlinkSync(victim, link);
    const r = await create(link, ['--force']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'somebody else\'s file\n');
    assert.ok(lstatSync(link).isFile(), 'the link itself was replaced by the new ISO');
  });

  test('a long but legal file name (240 characters) is written, not failed mid-run by an over-long temporary name', async () => {
    // The temporary name adds ".<name>.capture-media-<pid>-<hex8>.tmp" (~30 characters) to the
    // target's: past 255 bytes (NAME_MAX) the create fails with ENAMETOOLONG -> WriteFailed (exit 5).
    const target = join(out, `${'L'.repeat(236)}.iso`);
    const r = await create(target);
    assert.equal(r.code, 0, `a legal output name must work (or be refused up front as OutputPathInvalid, exit 2): ${r.stdout}`);
    assert.deepEqual(tempFilesIn(out), []);
  });
});
