// The real CLI process: exit codes and --json output (README "CLI", "Error ids").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';

test('create with a .txt ISO path exits 2 with a JSON OutputPathInvalid error', async () => {
  const r = await runCli(['create', '--media-type', 'cddvd', '--path', 'x.txt', '--boot-image', 'PS100004', '--distribution-point', '.', '--json']);
  assert.equal(r.code, 2);
  const out = JSON.parse(r.stdout) as { error: { id: string; category: string; target: string } };
  assert.equal(out.error.id, 'OutputPathInvalid');
  assert.equal(out.error.category, 'InvalidArgument');
  assert.equal(out.error.target, 'x.txt');
});

test('--help for every command exits 0 and names its flags', async () => {
  for (const [cmd, flag] of [
    ['create', '--media-type'],
    ['boot-images', '--distribution-point'],
    ['disks', '--json'],
    ['verify', '--path'],
    ['bridge', 'NDJSON'],
  ] as const) {
    const r = await runCli([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.ok(r.stdout.includes(flag), `${cmd} --help mentions ${flag}`);
  }
});

test('an unknown option exits 2 with InvalidParameter in --json mode', async () => {
  const r = await runCli(['verify', '--path', 'x.iso', '--bogus', '--json']);
  assert.equal(r.code, 2);
  assert.equal((JSON.parse(r.stdout) as { error: { id: string } }).error.id, 'InvalidParameter');
});

test('without --json, errors go to stderr with the id and stdout stays empty', async () => {
  const r = await runCli(['create', '--media-type', 'cddvd', '--path', 'x.txt', '--boot-image', 'PS100004', '--distribution-point', '.']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /ERROR \[OutputPathInvalid\]/);
});
