// The bridge protocol's request handling (docs/bridge.md), through the real CLI process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';

function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('an invalid parameter yields exactly one error event and exit 2', async () => {
  const request = { protocol: 1, command: 'create', params: { mediaType: 'CdDvd', path: ['x.txt'], bootImage: 'PS100004', distributionPoint: ['.'] } };
  const r = await runCli(['bridge'], { input: `${JSON.stringify(request)}\n` });
  assert.equal(r.code, 2);
  const ev = events(r.stdout);
  assert.equal(ev.length, 1);
  assert.deepEqual(Object.keys(ev[0]!)[0], 'type', 'type is the first key');
  assert.equal(ev[0]!.type, 'error');
  assert.equal(ev[0]!.id, 'OutputPathInvalid');
  assert.equal(ev[0]!.category, 'InvalidArgument');
});

test('unknown fields, a wrong protocol and bad JSON are refused with BridgeRequestInvalid', async () => {
  for (const input of [
    JSON.stringify({ protocol: 1, command: 'create', params: { mediaTyp: 'CdDvd' } }),
    JSON.stringify({ protocol: 2, command: 'disks', params: {} }),
    JSON.stringify({ protocol: 1, command: 'format-c', params: {} }),
    '{not json',
  ]) {
    const r = await runCli(['bridge'], { input: `${input}\n` });
    assert.equal(r.code, 2, input);
    const ev = events(r.stdout);
    assert.equal(ev.length, 1);
    assert.equal(ev[0]!.id, 'BridgeRequestInvalid', input);
  }
});

test('stdin closed before any request: BridgeRequestInvalid', async () => {
  const r = await runCli(['bridge'], { input: '' });
  assert.equal(r.code, 2);
  assert.equal(events(r.stdout)[0]!.id, 'BridgeRequestInvalid');
});

test('null parameters (PowerShell $null) count as absent', async () => {
  const request = { protocol: 1, command: 'create', params: { mediaType: 'CdDvd', path: ['x.txt'], bootImage: 'PS100004', distributionPoint: ['.'], mediaLabel: null } };
  const r = await runCli(['bridge'], { input: `${JSON.stringify(request)}\n` });
  assert.equal(r.code, 2);
  assert.equal(events(r.stdout)[0]!.id, 'OutputPathInvalid', 'null mediaLabel is treated as the default, validation goes on');
});
