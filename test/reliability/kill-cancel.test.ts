// Kill and cancel at every phase (docs/reliability.md): SIGINT, SIGTERM, closing the bridge's stdin,
// and SIGKILL, timed from the bridge's own events, at offsets spread over each phase. After every
// trial: the existing target is byte-identical (or, when the run finished first, a complete
// medium that `capture-media verify` accepts); a clean cancel exits 130 with an `error` event
// `Cancelled` and leaves no temporary file; after SIGKILL the next run removes the leftovers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContentLibrary } from '../../scripts/make-content-library.js';
import { cliCommand, runCli } from '../helpers/cli.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { delay, makeBigWim, sha256, startBridge, tempFilesIn, type BridgeEventLine } from './harness.js';

let dir: string;
let cleanup: () => void;
let bigWim: string;
let smallWim: string;
let library: string;
const PACKAGE = 'PS100004';
const OLD = 'the old medium, which must survive every interruption\n';

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('kill-cancel'));
  bigWim = makeBigWim(join(dir, 'bigwim'));
  smallWim = makeWinPeWim(join(dir, 'smallwim'));
  library = join(dir, 'lib');
  await makeContentLibrary({ root: library, packageId: PACKAGE, files: [{ source: bigWim, name: `boot.${PACKAGE}.wim` }] });
});
after(() => cleanup());

type Sig = 'SIGINT' | 'SIGTERM' | 'stdin-close' | 'SIGKILL';
type Ev = BridgeEventLine['event'];

interface Phase {
  readonly name: string;
  readonly mediaType: 'CdDvd' | 'UsbImage';
  readonly fromLibrary: boolean;
  /** The event the offset counts from. */
  readonly trigger: (e: Ev) => boolean;
  /** Four offsets (ms) spread over the phase; each signal gets a different one per phase. */
  readonly offsets: readonly [number, number, number, number];
}

const isLog = (prefix: string) => (e: Ev) => e.type === 'log' && (e.message ?? '').startsWith(prefix);
const isProgress = (phase: string, percent?: number) => (e: Ev) => e.type === 'progress' && e.phase === phase && (percent === undefined || e.percent === percent);

const PHASES: readonly Phase[] = [
  // Opening the package: PkgLib/DataLib INIs, the FileLib blob, the WIM's header and metadata.
  { name: 'source read (content library)', mediaType: 'CdDvd', fromLibrary: true, trigger: isLog('Plan:'), offsets: [0, 6, 12, 20] },
  { name: 'ISO write', mediaType: 'CdDvd', fromLibrary: false, trigger: isProgress('write', 0), offsets: [40, 180, 330, 480] },
  { name: 'ISO verify', mediaType: 'CdDvd', fromLibrary: true, trigger: isProgress('verify', 0), offsets: [0, 30, 60, 100] },
  // Between the last verify event and the rename: the run may win the race, which is allowed.
  { name: 'rename', mediaType: 'CdDvd', fromLibrary: false, trigger: isProgress('verify', 100), offsets: [0, 2, 5, 10] },
  { name: 'UsbImage write', mediaType: 'UsbImage', fromLibrary: false, trigger: isProgress('write', 0), offsets: [40, 180, 330, 480] },
  { name: 'UsbImage verify', mediaType: 'UsbImage', fromLibrary: true, trigger: isProgress('verify', 0), offsets: [0, 30, 60, 100] },
];
const SIGNALS: readonly Sig[] = ['SIGINT', 'SIGTERM', 'stdin-close', 'SIGKILL'];

interface Tally {
  cancelled: number;
  completed: number;
  killedWithTemp: number;
  killed: number;
}
const tally: Tally = { cancelled: 0, completed: 0, killedWithTemp: 0, killed: 0 };
const killedDir = () => join(dir, 'killed');

function requestFor(phase: Phase, target: string): object {
  return {
    command: 'create',
    params: {
      mediaType: phase.mediaType,
      path: [target],
      bootImage: phase.fromLibrary ? PACKAGE : bigWim,
      ...(phase.fromLibrary ? { distributionPoint: [library] } : {}),
      force: true,
    },
  };
}

async function assertValidMedium(target: string, context: string): Promise<void> {
  const v = await runCli(['verify', '--path', target, '--json']);
  assert.equal(v.code, 0, `${context}: the target changed, so it must be a complete medium that verify accepts: ${v.stdout}${v.stderr}`);
}

describe('signals and stdin close at every phase (bridge)', () => {
  for (const [p, phase] of PHASES.entries()) {
    for (const [s, sig] of SIGNALS.entries()) {
      const offset = phase.offsets[(s + p) % 4]!;
      test(`${phase.name}: ${sig} at +${offset} ms`, async (t) => {
        const ext = phase.mediaType === 'CdDvd' ? 'iso' : 'img';
        const outDir = sig === 'SIGKILL' ? killedDir() : join(dir, `t${p}-${s}`);
        mkdirSync(outDir, { recursive: true });
        const target = join(outDir, `capture-${p}.${ext}`);
        writeFileSync(target, OLD);
        const before = sha256(target);

        const run = startBridge(requestFor(phase, target));
        const hit = await run.waitFor(phase.trigger);
        assert.ok(hit, `the trigger event of "${phase.name}" was never sent: ${JSON.stringify(run.events.map((e) => e.event))}`);
        if (offset > 0) await delay(offset);
        const tempsAtSignal = tempFilesIn(outDir);
        if (sig === 'stdin-close') run.child.stdin!.end();
        else run.child.kill(sig);
        const { code, signal, stderr } = await run.done;
        const events = run.events.map((e) => e.event);
        const last = events.at(-1);
        t.diagnostic(`outcome: exit ${code ?? signal}, last event ${last?.type}${last?.id ? ` ${last.id}` : ''}, temp files at signal ${tempsAtSignal.length}`);
        const context = `${phase.name} ${sig} +${offset}ms (exit ${code}, signal ${signal}, last ${JSON.stringify(last)}, stderr ${stderr.slice(0, 400)})`;

        if (sig === 'SIGKILL') {
          tally.killed += 1;
          if (signal === 'SIGKILL') {
            if (tempsAtSignal.length > 0) tally.killedWithTemp += 1;
            // Untouched, or (the rename had happened when the kill landed) a complete, valid medium.
            if (sha256(target) !== before) await assertValidMedium(target, `${context}: kill -9 after the rename`);
            return;
          }
          // The run ended before the kill arrived.
          assert.equal(code, 0, context);
          assert.equal(last?.type, 'result', context);
          await assertValidMedium(target, context);
          return;
        }

        if (code === 0) {
          // It finished before the signal took effect: a complete, valid medium and no leftovers.
          tally.completed += 1;
          assert.equal(last?.type, 'result', context);
          await assertValidMedium(target, context);
        } else {
          tally.cancelled += 1;
          assert.equal(code, 130, `${context}: a clean cancel exits 130`);
          assert.equal(last?.type, 'error', context);
          assert.equal(last?.id, 'Cancelled', context);
          assert.equal(events.filter((e) => e.type === 'error').length, 1, `${context}: at most one error event`);
          assert.equal(sha256(target), before, `${context}: the existing target changed`);
        }
        assert.deepEqual(tempFilesIn(outDir), [], `${context}: temporary files left behind`);
      });
    }
  }

  test('after the SIGKILL trials, the next run removes their temporary files; the old targets are intact', async () => {
    const before = tempFilesIn(killedDir());
    const r = await runCli(['create', '--media-type', 'cddvd', '--path', join(killedDir(), 'after.iso'), '--boot-image', smallWim, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tempFilesIn(killedDir()), [], `stale temporary files (${before.join(', ')}) were not removed`);
    for (const [p, phase] of PHASES.entries()) {
      const target = join(killedDir(), `capture-${p}.${phase.mediaType === 'CdDvd' ? 'iso' : 'img'}`);
      const now = readFileSync(target);
      if (now.toString() !== OLD) await assertValidMedium(target, `SIGKILL target of ${phase.name}`);
    }
  });

  test('the trials really interrupted work: most clean cancels cancelled, most kills hit a temporary file', () => {
    assert.equal(tally.cancelled + tally.completed, PHASES.length * 3);
    // Only the rename trials may legitimately lose the race to completion.
    assert.ok(tally.cancelled >= PHASES.length * 3 - 4, `cancelled ${tally.cancelled}, completed ${tally.completed}`);
    assert.ok(tally.killedWithTemp >= 3, `kills while a temporary file existed: ${tally.killedWithTemp} of ${tally.killed}`);
  });
});

describe('the host goes away (bridge)', () => {
  async function hostVanishes(name: string, closeStdin: boolean) {
    const outDir = join(dir, `host-${name}`);
    mkdirSync(outDir, { recursive: true });
    const target = join(outDir, 'capture.iso');
    writeFileSync(target, OLD);
    const run = startBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [target], bootImage: bigWim, force: true } });
    assert.ok(await run.waitFor(isProgress('write', 0)));
    await delay(150);
    // The host process died: the read end of our stdout is gone (and, usually, our stdin too).
    run.child.stdout!.destroy();
    if (closeStdin) run.child.stdin!.end();
    const { code, stderr } = await run.done;
    return { code, stderr, target, outDir };
  }

  test('stdout and stdin both close mid-write (host killed): a clean cancel - exit 130, no crash, no temporary file, target intact', async () => {
    const r = await hostVanishes('both', true);
    assert.equal(readFileSync(r.target, 'utf8'), OLD);
    assert.deepEqual(tempFilesIn(r.outDir), []);
    assert.doesNotMatch(r.stderr, /Unhandled 'error' event|EPIPE/, 'the bridge crashed on the closed stdout');
    assert.equal(r.code, 130, r.stderr.slice(0, 400));
  });

  test('only stdout closes mid-write: the bridge stops and cleans up instead of crashing with its temporary file left behind', async () => {
    const r = await hostVanishes('stdout', false);
    assert.equal(readFileSync(r.target, 'utf8'), OLD);
    assert.doesNotMatch(r.stderr, /Unhandled 'error' event|EPIPE/, 'the bridge crashed on the closed stdout');
    assert.deepEqual(tempFilesIn(r.outDir), [], 'temporary file left behind by the crash');
  });

  test('SIGHUP (session closed) cancels like SIGTERM: exit 130, the target survives, nothing left behind', async () => {
    const outDir = join(dir, 'host-sighup');
    mkdirSync(outDir, { recursive: true });
    const target = join(outDir, 'capture.iso');
    writeFileSync(target, OLD);
    const run = startBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [target], bootImage: bigWim, force: true } });
    assert.ok(await run.waitFor(isProgress('write', 0)));
    await delay(150);
    run.child.kill('SIGHUP');
    const { code, signal } = await run.done;
    assert.equal(code, 130, `exit ${code} signal ${signal}`);
    assert.equal(readFileSync(target, 'utf8'), OLD);
    assert.deepEqual(tempFilesIn(outDir), [], 'cleaned up at once');
    const next = await runCli(['create', '--media-type', 'cddvd', '--path', join(outDir, 'next.iso'), '--boot-image', smallWim]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(tempFilesIn(outDir), []);
  });
});

describe('signals on the plain CLI (create --json)', () => {
  async function cliTrial(name: string, signals: readonly NodeJS.Signals[], offsetMs: number) {
    const outDir = join(dir, `cli-${name}`);
    mkdirSync(outDir, { recursive: true });
    const target = join(outDir, 'capture.iso');
    writeFileSync(target, OLD);
    const child = spawn(process.execPath, [...cliCommand(), 'create', '--media-type', 'cddvd', '--path', target, '--boot-image', bigWim, '--force', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // Wait until the write has started (its temporary file exists), then the offset.
    const deadline = Date.now() + 30_000;
    while (tempFilesIn(outDir).length === 0 && child.exitCode === null && Date.now() < deadline) await delay(5);
    await delay(offsetMs);
    for (const s of signals) {
      child.kill(s);
      await delay(2);
    }
    const code = await closed;
    return { code, stdout, stderr, target, outDir };
  }

  for (const [sig, offset] of [['SIGINT', 100], ['SIGTERM', 350]] as const) {
    test(`${sig} during the ISO write: exit 130, error id Cancelled, target intact, no temporary file`, async () => {
      const r = await cliTrial(sig, [sig], offset);
      assert.equal(r.code, 130, r.stdout + r.stderr);
      assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'Cancelled');
      assert.equal(readFileSync(r.target, 'utf8'), OLD);
      assert.deepEqual(tempFilesIn(r.outDir), []);
    });
  }

  test('a second SIGINT stops at once (exit 130): the target is intact, the next run removes the leftover', async () => {
    const r = await cliTrial('double', ['SIGINT', 'SIGINT'], 150);
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.equal(readFileSync(r.target, 'utf8'), OLD);
    const next = await runCli(['create', '--media-type', 'cddvd', '--path', join(r.outDir, 'next.iso'), '--boot-image', smallWim]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(tempFilesIn(r.outDir), []);
    assert.equal(readFileSync(r.target, 'utf8'), OLD);
  });
});
