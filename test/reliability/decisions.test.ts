// Issue 15 item 12, decided: a WIM whose XML names another architecture than its boot manager is
// refused (ArchitectureMismatch, exit 3); a label with a lone UTF-16 surrogate is LabelInvalid;
// --image-size beyond the 2 TiB an MBR partition can describe is MediaSizeInvalid; a single-value
// option given twice is InvalidParameter. All exit before anything is written.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peMachine } from '../../src/source/pe-machine.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { runBridge, snapshot } from './harness.js';

let dir: string;
let cleanup: () => void;
let out: string;
let wim: string;

/** A minimal PE header: "MZ", e_lfanew = 0x80, "PE\0\0", Machine. */
function peHead(machine: number, size = 30_000): Buffer {
  const b = Buffer.alloc(size);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(machine, 0x84);
  return b;
}

/** The WinPE fixture tree with a real-looking x64 boot manager, captured with the given ARCH. */
function wimWithBootManager(name: string, arch: number): string {
  const base = join(dir, name);
  makeWinPeWim(base, { arch });
  writeFileSync(join(base, 'tree', 'Windows', 'Boot', 'EFI', 'bootmgfw.efi'), peHead(0x8664));
  const path = join(base, 'pe.wim');
  execFileSync('wimlib-imagex', ['capture', join(base, 'tree'), path, 'Microsoft Windows PE', '--compress=XPRESS', '--boot', '--image-property', `WINDOWS/ARCH=${arch}`], { stdio: 'ignore' });
  return path;
}

before(() => {
  ({ path: dir, cleanup } = makeTempDir('decisions'));
  out = join(dir, 'out');
  mkdirSync(out);
  wim = makeWinPeWim(join(dir, 'plain'));
});
after(() => cleanup());

const errorOf = (r: CliRun) => (JSON.parse(r.stdout || '{}') as { error?: { id: string; message: string } }).error;

describe('architecture: the XML against the boot manager', () => {
  test('peMachine reads x86, x64 and arm64 and nothing from a non-PE file', () => {
    assert.equal(peMachine(peHead(0x014c, 512)), 'x86');
    assert.equal(peMachine(peHead(0x8664, 512)), 'x64');
    assert.equal(peMachine(peHead(0xaa64, 512)), 'arm64');
    assert.equal(peMachine(Buffer.alloc(512)), undefined);
    const bad = peHead(0x8664, 512);
    bad.writeUInt32LE(0xffff_fff0, 0x3c); // e_lfanew past the end
    assert.equal(peMachine(bad), undefined);
  });

  test('an x64 boot manager in a WIM whose XML says arm64 -> ArchitectureMismatch, exit 3, nothing written', async () => {
    const before = snapshot(out);
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'arm.iso'), '--boot-image', wimWithBootManager('arm-claim', 12)]);
    assert.equal(errorOf(r)?.id, 'ArchitectureMismatch', r.stdout + r.stderr);
    assert.match(errorOf(r)!.message, /x64 program/);
    assert.equal(r.code, 3);
    assert.deepEqual(snapshot(out), before);
  });

  test('the same boot manager with ARCH 9 (x64): accepted', async () => {
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'x64.iso'), '--boot-image', wimWithBootManager('x64-claim', 9)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe('values decided', () => {
  test('a label with a lone surrogate (bridge) -> LabelInvalid, exit 2', async () => {
    const b = await runBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [join(out, 's.iso')], bootImage: wim, mediaLabel: 'Capture \ud800' } });
    assert.equal(b.events.at(-1)?.id, 'LabelInvalid', JSON.stringify(b.events.at(-1)));
    assert.equal(b.code, 2);
  });

  test('--image-size 5TB -> MediaSizeInvalid, exit 2 (an MBR partition reaches 2 TiB)', async () => {
    const r = await runCli(['create', '--json', '--media-type', 'usbimage', '--path', join(out, 'big.img'), '--boot-image', wim, '--image-size', '5TB']);
    assert.equal(errorOf(r)?.id, 'MediaSizeInvalid', r.stdout + r.stderr);
    assert.equal(r.code, 2);
  });

  for (const args of [
    ['--media-size', '650MB', '--media-size', '8GB'],
    ['--media-label=A', '--media-label', 'B'],
    ['--boot-image', 'x.wim'],
  ]) {
    test(`a single-value option given twice (${args.join(' ')}) -> InvalidParameter, exit 2`, async () => {
      const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(out, 'twice.iso'), '--boot-image', wim, ...args]);
      assert.equal(errorOf(r)?.id, 'InvalidParameter', r.stdout + r.stderr);
      assert.equal(r.code, 2);
    });
  }

  test('--path given twice is fine (it collects)', async () => {
    const r = await runCli(['verify', '--json', '--path', join(out, 'x64.iso'), '--path', join(out, 'x64.iso')]);
    assert.notEqual(errorOf(r)?.id, 'InvalidParameter', r.stdout);
  });
});
