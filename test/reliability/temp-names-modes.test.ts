// Issue 15 items 8 and 9. Temporary names carry the host id (machine + PID namespace), and a run
// removes only stale files it can prove abandoned: its own host's with a dead pid, or any older
// than the documented day. A real second PID namespace (unshare --pid --fork --mount-proc) writes
// into the folder while a first run is mid-write; before the fix it deleted the first run's
// temporary file. Outputs follow the umask, and a replaced file keeps its mode.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostId } from '../../src/io/host-id.js';
import { cliCommand, runCli } from '../helpers/cli.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { makeBigWim, startBridge, tempFilesIn } from './harness.js';

let dir: string;
let cleanup: () => void;
let wim: string;
let big: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('temp-names-modes'));
  wim = makeWinPeWim(join(dir, 'wim'));
  big = makeBigWim(join(dir, 'big'));
});
after(() => cleanup());

/** Run the CLI through a shell first (umask) or unshare (another PID namespace). */
function cliVia(prefix: readonly string[], args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(prefix[0]!, [...prefix.slice(1), process.execPath, ...cliCommand(), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('stale temporary files across hosts (item 8)', () => {
  test('a run in another PID namespace leaves a live run\'s temporary file alone; both succeed', async () => {
    assert.equal(process.getuid?.(), 0, 'unshare --pid needs root; the CI container runs as root');
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const a = startBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [join(shared, 'a.iso')], bootImage: big } });
    assert.ok(await a.waitFor((e) => e.type === 'progress' && e.phase === 'write'), 'run A started writing');
    // The write phase is announced just before the temporary file is created.
    for (let i = 0; i < 100 && tempFilesIn(shared).length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    assert.equal(tempFilesIn(shared).length, 1, `run A has its temporary file: ${JSON.stringify(a.events.slice(-3))}`);
    const b = cliVia(['unshare', '--pid', '--fork', '--mount-proc'], ['create', '--json', '--media-type', 'cddvd', '--path', join(shared, 'b.iso'), '--boot-image', wim]);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    assert.doesNotMatch(b.stderr, /Removed a stale temporary file/);
    const { code } = await a.done;
    assert.equal(code, 0, JSON.stringify(a.events.at(-1)));
    assert.ok(existsSync(join(shared, 'a.iso')) && existsSync(join(shared, 'b.iso')));
  });

  test('which leftovers a run removes: own host + dead pid, or older than a day; not another host\'s recent one', async () => {
    const folder = join(dir, 'leftovers');
    mkdirSync(folder);
    const deadPid = 4_000_000; // above pid_max's default: never a live process
    const names = {
      ownDead: `.x.iso.capture-media-${hostId()}-${deadPid}-0000000a.tmp`,
      otherRecent: `.x.iso.capture-media-0badc0de-${deadPid}-0000000b.tmp`,
      otherOld: `.x.iso.capture-media-0badc0de-${deadPid}-0000000c.bak`,
      legacyRecent: `.x.iso.capture-media-${deadPid}-0000000d.tmp`,
    };
    for (const n of Object.values(names)) writeFileSync(join(folder, n), 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(folder, names.otherOld), twoDaysAgo, twoDaysAgo);
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(folder, 'y.iso'), '--boot-image', wim]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(tempFilesIn(folder).sort(), [names.legacyRecent, names.otherRecent].sort());
  });
});

describe('output modes (item 9)', () => {
  const sh = (mask: string) => ['sh', '-c', `umask ${mask} && exec "$@"`, 'sh'];
  for (const [mask, mode] of [
    ['022', 0o644],
    ['027', 0o640],
    ['077', 0o600],
    ['002', 0o664],
  ] as const) {
    test(`umask ${mask}: a new ISO and a new disk image are ${mode.toString(8)}`, () => {
      const folder = join(dir, `umask-${mask}`);
      mkdirSync(folder);
      const r = cliVia(sh(mask), ['create', '--json', '--media-type', 'cddvd', '--path', join(folder, 'm.iso'), '--boot-image', wim]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(statSync(join(folder, 'm.iso')).mode & 0o777, mode);
      const img = cliVia(sh(mask), ['create', '--json', '--media-type', 'usbimage', '--path', join(folder, 'm.img'), '--boot-image', wim]);
      assert.equal(img.code, 0, img.stdout + img.stderr);
      assert.equal(statSync(join(folder, 'm.img')).mode & 0o777, mode);
    });
  }

  test('--force over a 0640 file keeps 0640 (umask 022)', () => {
    const folder = join(dir, 'keep-mode');
    mkdirSync(folder);
    const target = join(folder, 'k.iso');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    const r = cliVia(sh('022'), ['create', '--json', '--media-type', 'cddvd', '--path', target, '--force', '--boot-image', wim]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(statSync(target).mode & 0o777, 0o640);
  });
});
