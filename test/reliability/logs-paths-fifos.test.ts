// Issue 15 items 4, 5, 7 and 10: a log that cannot be written never changes a job's outcome; a
// FIFO anywhere the core reads or logs is refused at once (never a hang); every path value, empty,
// huge, with a NUL or a lone surrogate, gets its own id and exit 2; a log path that is a symbolic
// link is refused and nothing is created through it. Real tmpfs mounts (root), real FIFOs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { makeContentLibrary } from '../../scripts/make-content-library.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { MiB, runBridge } from './harness.js';

let dir: string;
let cleanup: () => void;
let wim: string;
let out: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('logs-paths-fifos'));
  wim = makeWinPeWim(join(dir, 'wim'));
  out = join(dir, 'out');
  mkdirSync(out);
});
after(() => cleanup());

const errorOf = (r: CliRun) => (JSON.parse(r.stdout || '{}') as { error?: { id: string; message: string } }).error;
const iso = (name: string, extra: readonly string[] = [], bootImage = wim) => ['create', '--json', '--media-type', 'cddvd', '--path', join(out, name), '--force', '--boot-image', bootImage, ...extra];
/** Bounded: a hang fails the test instead of stalling the suite. */
const run = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env, timeoutMs: 30_000 });

function withFullTmpfs<T>(body: (mount: string) => Promise<T>): Promise<T> {
  assert.equal(process.getuid?.(), 0, 'mounting a tmpfs needs root; the CI container runs as root');
  const mount = join(dir, `full-${Date.now()}`);
  mkdirSync(mount);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${1 * MiB}`, 'tmpfs', mount]);
  // The log folder exists, and nothing more fits: the first log write gets ENOSPC.
  mkdirSync(join(mount, 'capture-media'));
  const fd = openSync(join(mount, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(64 * 1024));
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
  return body(mount).finally(() => execFileSync('umount', ['-l', mount]));
}

describe('a log that cannot be written (item 4)', () => {
  test('default log on a full file system: a successful job exits 0 with its result and one warning', async () => {
    await withFullTmpfs(async (state) => {
      const r = await run(iso('full-ok.iso'), { XDG_STATE_HOME: state, CAPTUREMEDIA_NO_LOG: '' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal((JSON.parse(r.stdout) as { MediaType: string }).MediaType, 'CdDvd');
      assert.equal(r.stderr.match(/The log \S+ cannot be written/g)?.length, 1, r.stderr);
    });
  });

  test('default log on a full file system: a failing job keeps its error id and exit code (CLI and bridge)', async () => {
    await withFullTmpfs(async (state) => {
      const r = await run(iso('full-fail.iso', ['--target-architecture', 'x86']), { XDG_STATE_HOME: state, CAPTUREMEDIA_NO_LOG: '' });
      assert.equal(errorOf(r)?.id, 'ArchitectureMismatch', r.stdout + r.stderr);
      assert.equal(r.code, 3);
      const b = await runBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [join(out, 'b.iso')], bootImage: wim, targetArchitecture: 'x86', force: true } }, { XDG_STATE_HOME: state, CAPTUREMEDIA_NO_LOG: '' });
      assert.equal(b.code, 3, b.stderr);
      assert.equal(b.events.at(-1)?.id, 'ArchitectureMismatch');
      assert.ok(b.events.some((e) => e.type === 'log' && e.level === 'warning' && /cannot be written/.test(e.message ?? '')), JSON.stringify(b.events));
    });
  });

  test('--log-path /proc/self/mem: success stays 0, failure stays its code, one warning each', async () => {
    const ok = await run(iso('mem-ok.iso', ['--log-path', '/proc/self/mem']));
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stderr, /cannot be written/);
    const bad = await run(iso('mem-bad.iso', ['--log-path', '/proc/self/mem'], join(dir, 'no-such.wim')));
    assert.equal(errorOf(bad)?.id, 'BootImageNotFound', bad.stdout + bad.stderr);
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /cannot be written/);
  });
});

describe('FIFOs and other non-regular files (item 5)', () => {
  const fifo = (name: string) => {
    const path = join(dir, name);
    execFileSync('mkfifo', [path]);
    return path;
  };

  test('--log-path a FIFO -> LogPathInvalid, exit 2, at once', async () => {
    const r = await run(iso('fifo-log.iso', ['--log-path', fifo('log.fifo')]));
    assert.equal(errorOf(r)?.id, 'LogPathInvalid', r.stdout + r.stderr);
    assert.equal(r.code, 2);
  });

  test('PkgLib/<id>.INI a FIFO -> ContentLibraryInvalid, exit 4, at once', async () => {
    const library = join(dir, 'lib-fifo');
    await makeContentLibrary({ root: library, packageId: 'PS100004', files: [{ source: wim, name: 'boot.PS100004.wim' }] });
    const ini = join(library, 'PkgLib', 'PS100004.INI');
    execFileSync('rm', [ini]);
    execFileSync('mkfifo', [ini]);
    const r = await run(['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'fifo-lib.iso'), '--boot-image', 'PS100004', '--distribution-point', library]);
    assert.equal(errorOf(r)?.id, 'ContentLibraryInvalid', r.stdout + r.stderr);
    assert.equal(r.code, 4);
  });

  test('--boot-image a FIFO named .wim -> WimInvalid, exit 4, at once', async () => {
    const r = await run(iso('fifo-wim.iso', [], fifo('boot.wim')));
    assert.equal(errorOf(r)?.id, 'WimInvalid', r.stdout + r.stderr);
    assert.equal(r.code, 4);
  });

  test('verify --path a FIFO -> MediaInvalid, at once', async () => {
    const r = await run(['verify', '--json', '--path', fifo('media.iso')]);
    assert.equal(errorOf(r)?.id, 'MediaInvalid', r.stdout + r.stderr);
  });
});

describe('bad path values (item 7)', () => {
  const huge = 'a'.repeat(120 * 1024);
  const cliCases: readonly { option: string; id: string }[] = [
    { option: '--boot-image', id: 'InvalidParameter' },
    { option: '--path', id: 'InvalidParameter' },
    { option: '--temporary-folder', id: 'TemporaryFolderInvalid' },
    { option: '--log-path', id: 'LogPathInvalid' },
    { option: '--distribution-point', id: 'InvalidParameter' },
    { option: '--client-source', id: 'InvalidParameter' },
    { option: '--template', id: 'InvalidParameter' },
  ];
  for (const { option, id } of cliCases) {
    for (const [what, value] of [
      ['empty', ''],
      ['120 KB', huge],
      ['a 300-byte name', join(dir, `${'n'.repeat(300)}.iso`)],
    ] as const) {
      test(`CLI ${option} ${what} -> ${id}, exit 2`, async () => {
        const args = ['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'p.iso'), '--force', '--boot-image', wim].filter((a, i, all) => !(a === option || all[i - 1] === option));
        const r = await run([...args, option, value]);
        assert.equal(errorOf(r)?.id, id, `${r.code} ${r.stdout.slice(0, 400)} ${r.stderr.slice(0, 400)}`);
        assert.equal(r.code, 2);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      });
    }
  }

  for (const option of ['--reference-path', '--difference-path']) {
    test(`CLI compare ${option} empty or 120 KB -> InvalidParameter, exit 2`, async () => {
      for (const value of ['', huge]) {
        const other = option === '--reference-path' ? '--difference-path' : '--reference-path';
        const r = await run(['compare', '--json', option, value, other, join(dir, 'x.iso')]);
        assert.equal(errorOf(r)?.id, 'InvalidParameter', `${r.code} ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 300)}`);
        assert.equal(r.code, 2);
      }
    });
  }

  const bridgeFields: readonly { field: string; id: string; list?: boolean }[] = [
    { field: 'bootImage', id: 'InvalidParameter' },
    { field: 'path', id: 'InvalidParameter', list: true },
    { field: 'temporaryFolder', id: 'TemporaryFolderInvalid' },
    { field: 'logPath', id: 'LogPathInvalid' },
    { field: 'distributionPoint', id: 'InvalidParameter', list: true },
    { field: 'clientSource', id: 'InvalidParameter' },
    { field: 'template', id: 'InvalidParameter' },
  ];
  for (const { field, id, list } of bridgeFields) {
    test(`bridge ${field}: empty, 120 KB, NUL, lone surrogate -> ${id}, exit 2`, async () => {
      for (const value of ['', huge, `${dir}/a\u0000b.iso`, `${dir}/a\ud800b.iso`]) {
        const params: Record<string, unknown> = { mediaType: 'CdDvd', path: [join(out, 'q.iso')], bootImage: wim, force: true };
        params[field] = list ? [value] : value;
        const b = await runBridge({ command: 'create', params });
        const last = b.events.at(-1);
        assert.equal(last?.id, id, `${JSON.stringify(value.slice(0, 40))}: ${JSON.stringify(last)} ${b.stderr.slice(0, 300)}`);
        assert.equal(b.code, 2);
      }
    });
  }
});

describe('log path symlinks (item 10)', () => {
  test('--log-path a dangling symlink -> LogPathInvalid, exit 2, the link target is not created', async () => {
    const open = join(dir, 'world-writable');
    mkdirSync(open, { mode: 0o1777 });
    const target = join(open, 'planted.txt');
    const link = join(dir, 'capture.log');
    symlinkSync(target, link);
    const r = await run(iso('link-log.iso', ['--log-path', link]));
    assert.equal(errorOf(r)?.id, 'LogPathInvalid', r.stdout + r.stderr);
    assert.equal(r.code, 2);
    assert.equal(existsSync(target), false, 'a file was created through the link');
    assert.deepEqual(readdirSync(open), []);
  });

  test('--log-path a symlink to an existing CMTrace log -> LogPathInvalid, the log untouched', async () => {
    const real = join(dir, 'real.log');
    writeFileSync(real, '<![LOG[earlier]LOG]!>\r\n');
    const link = join(dir, 'link.log');
    symlinkSync(real, link);
    const r = await run(iso('link-log2.iso', ['--log-path', link]));
    assert.equal(errorOf(r)?.id, 'LogPathInvalid', r.stdout + r.stderr);
    assert.equal(execFileSync('cat', [real], { encoding: 'utf8' }), '<![LOG[earlier]LOG]!>\r\n');
  });
});
