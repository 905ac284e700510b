// CMTrace lines parse back with the CMTrace pattern, and the bias sign is getTimezoneOffset's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBias, formatCmTraceLine, parseCmTraceLine, CMTRACE_LINE } from '../../src/log/cmtrace.js';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';

test('bias: UTC+1 is -060, UTC-5 is +300, UTC is +000', () => {
  assert.equal(formatBias(-60), '-060');
  assert.equal(formatBias(300), '+300');
  assert.equal(formatBias(0), '+000');
});

test('a formatted line round-trips', () => {
  const time = new Date(Date.UTC(2026, 10, 24, 12, 34, 56, 789));
  const line = formatCmTraceLine({ message: 'hello ]LOG]!> world', time, component: 'capture-media', severity: 2, thread: 42, file: 'x.ts' });
  const parsed = parseCmTraceLine(line);
  assert.ok(parsed);
  assert.equal(parsed.utc.getTime(), time.getTime());
  assert.equal(parsed.severity, 2);
  assert.equal(parsed.thread, 42);
});

for (const [tz, expectedBias, expectedHour] of [
  ['Europe/Berlin', '-060', '13'], // November: CET, UTC+1
  ['America/New_York', '+300', '07'], // November: EST, UTC-5
] as const) {
  test(`real log file under TZ=${tz}: local time with bias ${expectedBias}`, () => {
    const { path: dir, cleanup } = makeTempDir('cmtrace');
    try {
      const logPath = join(dir, 'CaptureMedia.log');
      const script = `
        import { createLogger } from './src/log/logger.ts';
        const fixed = Date.UTC(2026, 10, 24, 12, 0, 0, 0);
        Date.now = () => fixed;
        const RealDate = Date;
        globalThis.Date = class extends RealDate { constructor(...a) { super(...(a.length ? a : [fixed])); } static now() { return fixed; } };
        const log = await createLogger({ path: ${JSON.stringify(logPath)}, component: 'test' });
        log.log('info', 'first line');
        log.log('warning', 'second line');
        await log.close();
      `;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const lines = readFileSync(logPath, 'utf8').split('\r\n').filter(Boolean);
      assert.equal(lines.length, 2);
      for (const line of lines) assert.match(line, CMTRACE_LINE);
      const first = parseCmTraceLine(lines[0]!);
      assert.ok(first);
      assert.ok(lines[0]!.includes(`time="${expectedHour}:00:00.000${expectedBias}"`), lines[0]);
      assert.ok(lines[0]!.includes('date="11-24-2026"'));
      assert.equal(first.utc.getTime(), Date.UTC(2026, 10, 24, 12, 0, 0, 0), 'UTC = local + bias');
      assert.equal(parseCmTraceLine(lines[1]!)?.severity, 2);
    } finally {
      cleanup();
    }
  });
}
