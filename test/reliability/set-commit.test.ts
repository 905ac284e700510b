// A disc set is all or none even after kill -9 at any instant of its commit (issue 15, items 2-3).
//
// An old 3-disc set is replaced by a new 2-disc set (so the commit also has a leftover disc to
// remove). The commit's test hook (CAPTUREMEDIA_TEST_COMMIT_PAUSE_MS, src/build/set-commit.ts)
// announces each step on stderr and pauses before doing it; each trial SIGKILLs the process when
// step k is announced (steps 1..k-1 done, k not), for every k, then runs the next command in the
// folder and requires exactly the old set or exactly the new set, byte for byte, and nothing else.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliCommand, runCli } from '../helpers/cli.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';
import { makeBigWim, snapshot } from './harness.js';

let dir: string;
let cleanup: () => void;
let wim: string;
let oldSet: Record<string, string>;
let newSet: Record<string, string>;
let oldDir: string;
let newDir: string;

// Two builds that differ in creation time (SOURCE_DATE_EPOCH) and disc count.
const OLD = { epoch: '1600000000', size: '30MB' };
const NEW = { epoch: '1700000000', size: '45MB' };

const createArgs = (folder: string, which: typeof OLD) => ['create', '--json', '--media-type', 'cddvd', '--path', join(folder, 'capture.iso'), '--force', '--boot-image', wim, '--media-size', which.size, '--no-verify'];
const isoNames = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.iso')).sort();

async function build(folder: string, which: typeof OLD): Promise<Record<string, string>> {
  mkdirSync(folder, { recursive: true });
  const r = await runCli(createArgs(folder, which), { env: { SOURCE_DATE_EPOCH: which.epoch } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return snapshot(folder);
}

function copySet(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of isoNames(from)) copyFileSync(join(from, name), join(to, name));
}

/** Run create (old set -> new set) and SIGKILL it when commit step `step` is announced; returns the steps seen. */
function createKilledAt(folder: string, step: number | null): Promise<{ steps: string[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), ...createArgs(folder, NEW)], {
      cwd: REPO_ROOT,
      env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1', SOURCE_DATE_EPOCH: NEW.epoch, CAPTUREMEDIA_TEST_COMMIT_PAUSE_MS: '150' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const steps: string[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      for (const m of d.matchAll(/commit step (\d+): ([^\n]*)/g)) {
        steps.push(m[2]!);
        if (Number(m[1]) === step) child.kill('SIGKILL');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ steps, code, signal, stderr });
    });
  });
}

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('set-commit'));
  wim = makeBigWim(join(dir, 'wim'));
  oldDir = join(dir, 'ref-old');
  newDir = join(dir, 'ref-new');
  oldSet = await build(oldDir, OLD);
  newSet = await build(newDir, NEW);
  assert.deepEqual(Object.keys(oldSet), ['capture1.iso', 'capture2.iso', 'capture3.iso'], 'the old set has 3 discs');
  assert.deepEqual(Object.keys(newSet), ['capture1.iso', 'capture2.iso'], 'the new set has 2 discs');
});
after(() => cleanup());

describe('a smaller set replaces a larger one (item 3)', () => {
  test('the old capture3.iso is removed with the commit; verify accepts the new set', async () => {
    const folder = join(dir, 'shrink');
    copySet(oldDir, folder);
    const r = await runCli(createArgs(folder, NEW), { env: { SOURCE_DATE_EPOCH: NEW.epoch } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(snapshot(folder), newSet);
  });

  test('without --force a leftover disc of a larger set is refused (OutputExists) and nothing changes', async () => {
    const folder = join(dir, 'shrink-noforce');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(oldDir, 'capture3.iso'), join(folder, 'capture3.iso'));
    const before = snapshot(folder);
    const r = await runCli(createArgs(folder, NEW).filter((a) => a !== '--force'), { env: { SOURCE_DATE_EPOCH: NEW.epoch } });
    assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'OutputExists', r.stdout);
    assert.equal(r.code, 3);
    assert.deepEqual(snapshot(folder), before);
  });

  test('verify of a mix (new disc 1, old discs 2 and 3) fails: VerifyFailed, exit 5', async () => {
    const folder = join(dir, 'mix');
    copySet(oldDir, folder);
    copyFileSync(join(newDir, 'capture1.iso'), join(folder, 'capture1.iso'));
    const r = await runCli(['verify', '--json', ...isoNames(folder).flatMap((n) => ['--path', join(folder, n)])]);
    assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'VerifyFailed', r.stdout);
    assert.equal(r.code, 5);
  });

  test('verify of new discs 1-2 beside an old disc 3 fails (disc 3 is of another set)', async () => {
    const folder = join(dir, 'mix2');
    copySet(oldDir, folder);
    copySet(newDir, folder);
    const r = await runCli(['verify', '--json', ...isoNames(folder).flatMap((n) => ['--path', join(folder, n)])]);
    assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'VerifyFailed', r.stdout);
  });
});

describe('kill -9 at every step of a set commit (item 2)', () => {
  test('each kill point leaves the old set or the new set after the next run, never a mix, never a lost disc', async () => {
    // A full run first: the steps the hook announces.
    const probe = join(dir, 'probe');
    copySet(oldDir, probe);
    const full = await createKilledAt(probe, null);
    assert.equal(full.code, 0, full.stderr);
    assert.deepEqual(snapshot(probe), newSet);
    // journal, 3 old discs kept, 2 new in place, 1 leftover removed, 3 kept removed, journal removed
    assert.equal(full.steps.length, 11, full.steps.join('\n'));

    const outcomes: string[] = [];
    for (let step = 1; step <= full.steps.length; step += 1) {
      const folder = join(dir, `kill-${step}`);
      copySet(oldDir, folder);
      const killed = await createKilledAt(folder, step);
      assert.equal(killed.signal, 'SIGKILL', `step ${step} (${full.steps[step - 1]}): the process was not killed: ${killed.stderr}`);
      // The next run: `verify` for odd steps, a `create` of the new set for even ones.
      if (step % 2 === 1) {
        const names = isoNames(folder);
        const v = await runCli(['verify', '--json', ...names.flatMap((n) => ['--path', join(folder, n)])]);
        // verify does not clean up: new discs still under temporary names (a kill before the
        // journal existed) stay for the next create, which removes them as stale.
        const all = snapshot(folder);
        const after = Object.fromEntries(Object.entries(all).filter(([n]) => !n.startsWith('.')));
        const hidden = Object.keys(all).filter((n) => n.startsWith('.'));
        assert.ok(hidden.every((n) => n.endsWith('.tmp')), `step ${step}: left after verify: ${hidden.join(', ')}`);
        const which = JSON.stringify(after) === JSON.stringify(oldSet) ? 'old' : JSON.stringify(after) === JSON.stringify(newSet) ? 'new' : 'mixed';
        assert.notEqual(which, 'mixed', `step ${step} (${full.steps[step - 1]}): after verify the folder holds ${JSON.stringify(Object.keys(after))}`);
        // verify names the discs it was given before recovery; after it they are one whole set.
        const again = await runCli(['verify', '--json', ...isoNames(folder).flatMap((n) => ['--path', join(folder, n)])]);
        assert.equal(again.code, 0, `step ${step}: verify of the recovered set: ${again.stdout}`);
        outcomes.push(`${step}:${which}:verify=${v.code}`);
      } else {
        const r = await runCli(createArgs(folder, NEW), { env: { SOURCE_DATE_EPOCH: NEW.epoch } });
        assert.equal(r.code, 0, `step ${step}: the next create failed: ${r.stdout} ${r.stderr}`);
        assert.deepEqual(snapshot(folder), newSet, `step ${step} (${full.steps[step - 1]})`);
        outcomes.push(`${step}:new:create`);
      }
    }
    console.log(`set-commit kill outcomes: ${outcomes.join(' ')}`);
  });
});

describe('a commit neither outcome can be recovered from', () => {
  test('someone removed a new disc and the kept old one: DiscSetRecoveryFailed, exit 5, nothing changed, the journal kept', async () => {
    const folder = join(dir, 'unrecoverable');
    copySet(oldDir, folder);
    // Killed before step 6: journal, 3 old discs kept as .bak, new capture1.iso in place, capture2.iso still a temp file.
    const killed = await createKilledAt(folder, 6);
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    const hidden = readdirSync(folder).filter((n) => n.startsWith('.'));
    const temp = hidden.find((n) => n.startsWith('.capture2.iso.') && n.endsWith('.tmp'));
    const bak = hidden.find((n) => n.startsWith('.capture1.iso.') && n.endsWith('.bak'));
    assert.ok(temp && bak, hidden.join(', '));
    rmSync(join(folder, temp));
    rmSync(join(folder, bak));
    const before = snapshot(folder);
    const r = await runCli(['verify', '--json', '--path', join(folder, 'capture1.iso')]);
    assert.equal((JSON.parse(r.stdout) as { error?: { id: string } }).error?.id, 'DiscSetRecoveryFailed', r.stdout + r.stderr);
    assert.equal(r.code, 5);
    assert.deepEqual(snapshot(folder), before, 'nothing was changed');
    assert.ok(readdirSync(folder).some((n) => n.endsWith('.journal')), 'the journal is kept');
  });
});

describe('a cancel ends the process within seconds, whatever the job waits for (item 5)', () => {
  test('SIGTERM while the commit is stuck (a 60 s step): exit 130 within the 10 s deadline; the next run finishes the set', async () => {
    const folder = join(dir, 'stuck');
    copySet(oldDir, folder);
    const child = spawn(process.execPath, [...cliCommand(), ...createArgs(folder, NEW)], {
      cwd: REPO_ROOT,
      env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1', SOURCE_DATE_EPOCH: NEW.epoch, CAPTUREMEDIA_TEST_COMMIT_PAUSE_MS: '60000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sentAt = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // Stuck before the first step (each step waits 60 s, like a rename on a hung share).
      if (sentAt === 0 && /commit step 1:/.test(stderr)) {
        sentAt = Date.now();
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    const took = Date.now() - sentAt;
    assert.ok(sentAt > 0, stderr);
    assert.equal(code, 130, stderr);
    assert.ok(took < 15_000, `exited ${took} ms after SIGTERM`);
    const r = await runCli(createArgs(folder, NEW), { env: { SOURCE_DATE_EPOCH: NEW.epoch } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(snapshot(folder), newSet);
  });
});
