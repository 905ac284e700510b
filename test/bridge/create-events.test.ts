// The bridge's event sequence for a real create, and cancel by closing stdin (docs/bridge.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cliCommand } from '../helpers/cli.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

type Event = Record<string, unknown> & { type: string };
let dir: string;
let cleanup: () => void;
let wim: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('bridge-events'));
  wim = makeWinPeWim(join(dir, 'wim'), { compressible: { 'sms/bin/x64/big/a.bin': 48 * 1024 * 1024, 'sms/bin/x64/big/b.bin': 48 * 1024 * 1024 } });
});
after(() => cleanup());

/** Runs the bridge; `onEvent` may close stdin (cancel). Resolves with every event and the exit code. */
function bridge(request: object, onEvent: (e: Event, closeStdin: () => void) => void = () => {}): Promise<{ events: Event[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), 'bridge'], { cwd: REPO_ROOT, env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
    const events: Event[] = [];
    const closeStdin = () => child.stdin.end();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = JSON.parse(line) as Event;
      events.push(e);
      onEvent(e, closeStdin);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ events, code }));
    child.stdin.write(`${JSON.stringify(request)}\n`);
  });
}

/** progress events collapse to one entry per phase run, so the sequence does not depend on timing. */
function shape(events: Event[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const s = e.type === 'progress' ? `progress:${String(e.phase)}` : e.type === 'log' ? `log:${String(e.level)}` : e.type === 'error' ? `error:${String(e.id)}` : e.type;
    if (out[out.length - 1] !== s || !s.startsWith('progress')) out.push(s);
  }
  return out;
}

test('create over the bridge: the exact event sequence, then exit 0', async () => {
  const target = join(dir, 'ok.iso');
  const { events, code } = await bridge(
    { protocol: 1, command: 'create', params: { mediaType: 'CdDvd', path: [target], bootImage: wim } },
    (e, close) => {
      if (e.type === 'result') close();
    },
  );
  assert.equal(code, 0);
  // After the boot image line: the driver check's summary (verbose) and its two warnings, since
  // this fixture holds no network or storage driver; then the warning that this boot image alone
  // gives media without the capture launcher (TSMBAutorun.exe).
  assert.deepEqual(shape(events), ['log:verbose', 'log:info', 'log:verbose', 'log:warning', 'log:warning', 'log:warning', 'log:info', 'progress:write', 'progress:verify', 'log:verbose', 'result']);
  for (const e of events) assert.equal(Object.keys(e)[0], 'type');
  const progress = events.filter((e) => e.type === 'progress');
  for (const phase of ['write', 'verify']) {
    const p = progress.filter((e) => e.phase === phase);
    assert.equal(p[0]!.percent, 0);
    assert.equal(p[p.length - 1]!.percent, 100);
    const done = p.map((e) => e.bytesDone as number);
    assert.deepEqual(done, [...done].sort((a, b) => a - b), 'bytesDone never goes back');
  }
  const result = events.find((e) => e.type === 'result')!.data as Record<string, unknown>;
  assert.deepEqual(result.Path, [target]);
  assert.equal(result.Verified, true);
});

test('closing stdin mid-write cancels: error Cancelled, exit 130, no output and no temp file', async () => {
  const target = join(dir, 'cancelled.iso');
  const { events, code } = await bridge({ protocol: 1, command: 'create', params: { mediaType: 'CdDvd', path: [target], bootImage: wim } }, (e, close) => {
    if (e.type === 'progress' && e.phase === 'write') close();
  });
  assert.equal(code, 130);
  const last = events[events.length - 1]!;
  assert.equal(last.type, 'error');
  assert.equal(last.id, 'Cancelled');
  assert.equal(last.category, 'OperationStopped');
  assert.deepEqual(shape(events).slice(0, 8), ['log:verbose', 'log:info', 'log:verbose', 'log:warning', 'log:warning', 'log:warning', 'log:info', 'progress:write']);
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});
