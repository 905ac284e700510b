// CD/DVD media end to end through the real CLI, checked with tools nobody here wrote (xorriso,
// isoinfo, 7z): the tree, labels and El Torito entries; disc sets; determinism; -Force and
// existing files; atomicity under kill -9; cancel through the bridge.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cliCommand, runCli } from '../helpers/cli.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

let dir: string;
let cleanup: () => void;
let wim: string;
let bigWim: string;
const MiB = 1024 * 1024;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('iso-media'));
  wim = makeWinPeWim(join(dir, 'wim'), {});
  // ~42 MiB on the medium, a few MiB in the WIM: enough for a 3-disc set at 20MB.
  bigWim = makeWinPeWim(join(dir, 'bigwim'), {
    compressible: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`sms/bin/x64/pkg${i}/payload${i}.bin`, 6 * MiB])),
  });
});
after(() => cleanup());

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function create(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['create', '--media-type', 'cddvd', '--json', ...args], { env: { SOURCE_DATE_EPOCH: '1764000000', ...env } });
}

function manifestOf(iso: string): { disc: number; discCount: number; files: { path: string; size: number; disc: number; sha256: string | null }[] } {
  const out = join(dir, `m-${Math.random().toString(16).slice(2)}`);
  mkdirSync(out);
  tool('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/CaptureMedia.manifest.json', join(out, 'm.json')]);
  return JSON.parse(readFileSync(join(out, 'm.json'), 'utf8'));
}

describe('a single ISO from a local boot image', () => {
  let iso: string;
  before(async () => {
    iso = join(dir, 'capture.iso');
    const r = await create(['--path', iso, '--boot-image', wim, '--media-label', 'Capture x64', '--include-autorun']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(result.Path, [iso]);
    assert.equal(result.Verified, true);
    assert.deepEqual(result.BootModes, ['BIOS', 'UEFI']);
    assert.equal(result.Architecture, 'x64');
  });

  test('xorriso reports both El Torito entries: BIOS no-emulation load 8, UEFI 0xEF', () => {
    const report = tool('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
    assert.match(report, /El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+8\s+\d+/);
    assert.match(report, /El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
    assert.match(report, /El Torito img path :\s+1\s+\/boot\/etfsboot\.com/);
    assert.match(report, /El Torito img path :\s+2\s+\/efi\/microsoft\/boot\/efisys\.bin/);
  });

  test('isoinfo: volume id from the label; Joliet tree is exactly the media tree', () => {
    const d = tool('isoinfo', ['-d', '-i', iso]);
    assert.match(d, /Volume id: CAPTURE_X64/);
    assert.match(d, /Joliet with UCS level 3/);
    const listing = tool('isoinfo', ['-f', '-J', '-i', iso]).split('\n').filter(Boolean).sort();
    for (const p of ['/MediaLabel.txt', '/autorun.inf', '/bootmgr', '/bootmgr.efi', '/sources/boot.wim', '/efi/boot/bootx64.efi', '/SMS/data/TsmBootstrap.ini', '/CaptureMedia.manifest.json', '/boot/fonts/wgl4_boot.ttf']) {
      assert.ok(listing.includes(p), `${p} in ${listing.join(' ')}`);
    }
  });

  test('7z lists the same files', () => {
    const out = tool('7z', ['l', '-slt', iso]);
    const paths = [...out.matchAll(/^Path = (.+)$/gm)].map((m) => m[1]!.replaceAll('\\', '/')).filter((p) => p !== iso);
    assert.ok(paths.includes('sources/boot.wim'), paths.join(','));
    assert.ok(paths.includes('efi/microsoft/boot/efisys.bin'));
  });

  test('every file extracted by xorriso matches the manifest; boot.wim is the source byte for byte', () => {
    const out = join(dir, 'extracted');
    tool('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
    const manifest = manifestOf(iso);
    assert.equal(manifest.discCount, 1);
    for (const f of manifest.files) {
      const got = createHash('sha256').update(readFileSync(join(out, f.path))).digest('hex').toUpperCase();
      assert.equal(got, f.sha256, f.path);
    }
    assert.equal(sha(join(out, 'sources', 'boot.wim')), sha(wim));
    assert.equal(readFileSync(join(out, 'MediaLabel.txt'), 'utf8'), 'label=Capture x64\r\n');
  });

  test('capture-media verify passes on it, and fails on a corrupted copy', async () => {
    const ok = await runCli(['verify', '--path', iso, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = join(dir, 'corrupt.iso');
    const bytes = readFileSync(iso);
    const manifest = manifestOf(iso);
    assert.ok(manifest.files.length > 5);
    // Flip a byte in the last sector of the boot.wim extent region: find boot.wim's bytes in the image.
    const wimBytes = readFileSync(wim);
    const at = bytes.indexOf(wimBytes.subarray(0, 4096));
    assert.ok(at > 0);
    bytes[at + 1000] ^= 0xff;
    writeFileSync(bad, bytes);
    const r = await runCli(['verify', '--path', bad, '--json']);
    assert.equal(r.code, 5);
    assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'VerifyFailed');
  });

  test('deterministic: the same input and SOURCE_DATE_EPOCH give the same bytes', async () => {
    const again = join(dir, 'again.iso');
    const r = await create(['--path', again, '--boot-image', wim, '--media-label', 'Capture x64', '--include-autorun']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(again), sha(iso));
  });
});

describe('existing output', () => {
  test('an existing ISO is refused without --force and left byte-identical', async () => {
    const target = join(dir, 'existing.iso');
    writeFileSync(target, 'precious old media');
    const r = await create(['--path', target, '--boot-image', wim]);
    assert.equal(r.code, 3);
    assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'OutputExists');
    assert.equal(readFileSync(target, 'utf8'), 'precious old media');
  });

  test('with --force it is replaced, only once the new media is verified', async () => {
    const target = join(dir, 'replaced.iso');
    writeFileSync(target, 'old');
    const r = await create(['--path', target, '--boot-image', wim, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(readFileSync(target, 'utf8').slice(0, 3), 'old');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });
});

describe('disc sets (--media-size)', () => {
  test('20MB discs: capture1..3.iso, disc 1 alone is bootable, the union is the media tree', async () => {
    const base = join(dir, 'set', 'capture.iso');
    mkdirSync(join(dir, 'set'));
    const r = await create(['--path', base, '--boot-image', bigWim, '--media-size', '20MiB']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { Path: string[]; Discs: number };
    assert.equal(result.Discs, 3);
    assert.deepEqual(result.Path, [1, 2, 3].map((n) => join(dir, 'set', `capture${n}.iso`)));
    const union = new Map<string, number>();
    for (const [i, p] of result.Path.entries()) {
      assert.ok(readFileSync(p).length <= 20 * MiB, `${p} fits the disc`);
      const report = tool('xorriso', ['-indev', p, '-report_el_torito', 'plain']);
      if (i === 0) assert.match(report, /El Torito boot img :\s+1\s+BIOS/);
      else assert.doesNotMatch(report, /El Torito boot img/);
      const m = manifestOf(p);
      assert.equal(m.disc, i + 1);
      assert.equal(m.discCount, 3);
      for (const f of m.files.filter((x) => x.disc === i + 1)) union.set(f.path, (union.get(f.path) ?? 0) + 1);
      const listing = tool('isoinfo', ['-f', '-J', '-i', p]);
      assert.match(listing, /\/MediaLabel\.txt/);
      if (i === 0) assert.match(listing, /\/sources\/boot\.wim/);
    }
    for (let n = 0; n < 7; n += 1) assert.equal(union.get(`SMS/bin/x64/pkg${n}/payload${n}.bin`), 1);
    assert.equal(union.get('MediaLabel.txt'), 3);
  });

  test('a file larger than one disc -> FileTooLargeForMedia naming it, nothing written', async () => {
    const target = join(dir, 'toosmall.iso');
    const r = await create(['--path', target, '--boot-image', bigWim, '--media-size', '5MB']);
    assert.equal(r.code, 3);
    const e = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
    assert.equal(e.id, 'FileTooLargeForMedia');
    assert.match(e.message, /payload|boot/);
    assert.equal(existsSync(target), false);
  });
});

describe('atomicity', () => {
  test('kill -9 during the write and verify never touches the existing ISO; the next run removes stale temp files', async () => {
    const folder = join(dir, 'atomic');
    mkdirSync(folder);
    const target = join(folder, 'capture.iso');
    writeFileSync(target, 'the old ISO, which must survive');
    const before = sha(target);
    const temps = () => readdirSync(folder).filter((n) => n.endsWith('.tmp'));
    for (let trial = 0; trial < 10; trial += 1) {
      const child = spawn(process.execPath, [...cliCommand(), 'create', '--media-type', 'cddvd', '--path', target, '--boot-image', bigWim, '--force'], {
        cwd: REPO_ROOT,
        env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1' },
        stdio: 'ignore',
      });
      const closed = new Promise((r) => child.on('close', r));
      // Kill once the temp file exists (the write has begun), at a different offset each trial, so
      // the kills land all over the write and verify phases whatever the machine's speed.
      const deadline = Date.now() + 60_000;
      while (temps().length === 0 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, trial * 15));
      child.kill('SIGKILL');
      await closed;
      assert.equal(sha(target), before, `trial ${trial}: the existing ISO changed`);
    }
    assert.ok(temps().length > 0, 'kill -9 leaves the temp file behind (nothing could clean it)');
    const r = await create(['--path', join(folder, 'after.iso'), '--boot-image', wim]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(temps(), [], 'stale temp files removed by the next run');
    assert.equal(sha(target), before);
  });
});
