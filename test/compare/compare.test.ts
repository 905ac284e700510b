// `capture-media compare` on media made by real tools (xorriso ISOs of a stand-in console tree,
// our own USB image): it must catch a one-byte change, a missing file, a different label and a
// different El Torito entry, accept what the caller expects, and exit 0 only when nothing else
// differs (6 otherwise).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { extractWim } from '../helpers/real-media.js';
import { consoleTemplateTree, isoFromTree } from '../helpers/console-media.js';

let dir: string;
let cleanup: () => void;
let wim: string;
let tree: string;
let reference: string;

interface Difference {
  Kind: string;
  Path: string;
  Reference: string | null;
  Difference: string | null;
  Expected: boolean;
}

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('compare'));
  wim = makeWinPeWim(join(dir, 'wim'), {});
  await extractWim(wim, join(dir, 'extracted'));
  tree = consoleTemplateTree(join(dir, 'tree'), wim, join(dir, 'extracted'));
  reference = isoFromTree(tree, join(dir, 'reference.iso'));
});
after(() => cleanup());

/** A copy of the reference tree changed by `change`, as an ISO. */
function variant(name: string, change: (copy: string) => void, options: Parameters<typeof isoFromTree>[2] = {}): string {
  const copy = join(dir, `${name}-tree`);
  execFileSync('cp', ['-a', tree, copy]);
  change(copy);
  return isoFromTree(copy, join(dir, `${name}.iso`), options);
}

async function compare(ref: string, dif: string, expect: string[] = []): Promise<{ code: number | null; differences: Difference[]; same: boolean }> {
  const r = await runCli(['compare', '--reference-path', ref, '--difference-path', dif, '--json', ...expect.flatMap((e) => ['--expect-different', e])]);
  const result = JSON.parse(r.stdout) as { Same: boolean; Differences: Difference[] };
  return { code: r.code, differences: result.Differences, same: result.Same };
}

describe('compare', () => {
  test('the same ISO twice: nothing differs, exit 0', async () => {
    const r = await compare(reference, reference);
    assert.deepEqual(r.differences, []);
    assert.equal(r.code, 0);
  });

  test('a one-byte change: Content with both SHA-256, exit 6; expected, exit 0', async () => {
    const changed = variant('one-byte', (copy) => {
      const f = join(copy, 'SMS/bin/x64/OSDCore.dll');
      const bytes = readFileSync(f);
      bytes[3] ^= 0x01;
      writeFileSync(f, bytes);
    });
    const r = await compare(reference, changed);
    assert.equal(r.code, 6);
    assert.deepEqual(r.differences.map((d) => [d.Kind, d.Path, d.Expected]), [['Content', 'SMS\\bin\\x64\\OSDCore.dll', false]]);
    assert.match(r.differences[0]!.Reference!, /^SHA-256 [0-9A-F]{64}$/);
    assert.notEqual(r.differences[0]!.Reference, r.differences[0]!.Difference);
    const expected = await compare(reference, changed, ['sms/bin/x64/osdcore.dll']);
    assert.equal(expected.code, 0);
    assert.equal(expected.differences[0]!.Expected, true);
  });

  test('a missing file: OnlyInReference; an extra one: OnlyInDifference', async () => {
    const changed = variant('missing', (copy) => {
      rmSync(join(copy, 'SMS/bin/x64/msvcp140.dll'));
      writeFileSync(join(copy, 'SMS/bin/x64/extra.dll'), 'STAND-IN extra');
    });
    const r = await compare(reference, changed);
    assert.equal(r.code, 6);
    assert.deepEqual(r.differences.map((d) => [d.Kind, d.Path]), [
      ['OnlyInReference', 'SMS\\bin\\x64\\msvcp140.dll'],
      ['OnlyInDifference', 'SMS\\bin\\x64\\extra.dll'],
    ]);
  });

  test('a different volume label: Label (ISO 9660) and Label (Joliet)', async () => {
    const r = await compare(reference, variant('label', () => undefined, { label: 'OTHER_LABEL' }));
    assert.equal(r.code, 6);
    assert.deepEqual(r.differences.map((d) => [d.Kind, d.Path, d.Reference, d.Difference]), [
      ['Label', 'Label (ISO 9660)', 'CONFIGURATION_MANAGER', 'OTHER_LABEL'],
      ['Label', 'Label (Joliet)', 'CONFIGURATION_MA', 'OTHER_LABEL'],
    ]);
    assert.equal((await compare(reference, join(dir, 'label.iso'), ['Label*'])).code, 0);
  });

  test('a different El Torito entry: the BIOS load size', async () => {
    const r = await compare(reference, variant('eltorito', () => undefined, { biosLoadSectors: 4 }));
    assert.equal(r.code, 6);
    assert.deepEqual(r.differences.map((d) => [d.Kind, d.Path]), [['ElTorito', 'El Torito entry 1']]);
    assert.match(r.differences[0]!.Reference!, /platform 0x00, no emulation, image boot\\etfsboot\.com, load 8 sectors/);
    assert.match(r.differences[0]!.Difference!, /load 4 sectors/);
  });

  test('TsmBootstrap.ini keys side by side, and a changed value as a difference', async () => {
    const changed = variant('ini', (copy) => writeFileSync(join(copy, 'SMS/data/TsmBootstrap.ini'), '[MediaInfo]\r\nMediaType=FullMedia\r\nPasswordRequired=false\r\n'));
    const r = await runCli(['compare', '--reference-path', reference, '--difference-path', changed, '--json']);
    const result = JSON.parse(r.stdout) as { TsmBootstrap: { Key: string; Reference: string | null; Difference: string | null }[]; Differences: Difference[] };
    assert.deepEqual(result.TsmBootstrap.map((k) => [k.Key, k.Reference, k.Difference]), [
      ['MediaType', 'CaptureFixture', 'FullMedia'],
      ['PasswordRequired', 'false', 'false'],
      ['NeverGeneratedByUs', 'fixture-value', null],
    ]);
    assert.ok(result.Differences.some((d) => d.Kind === 'TsmBootstrap' && d.Path === 'TsmBootstrap.ini [MediaInfo] MediaType'));
    const text = await runCli(['compare', '--reference-path', reference, '--difference-path', changed]);
    assert.equal(text.code, 6);
    assert.match(text.stdout, /TsmBootstrap\.ini\nSection\s+Key\s+Reference\s+Difference/);
    assert.match(text.stdout, /Size\s+SMS\\data\\TsmBootstrap\.ini\s+97 bytes\s+58 bytes\s+no/);
  });

  test('a folder against our USB image built from it: only the boot files, boot.wim, labels and our manifest', async () => {
    const img = join(dir, 'ours.img');
    const r = await runCli(['create', '--media-type', 'usbimage', '--path', img, '--boot-image', wim, '--template', tree, '--include-autorun', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const c = await compare(tree, img, ['sources\\boot.wim']);
    const unexpected = c.differences.filter((d) => !d.Expected);
    // USB media carry no CD-only boot files (etfsboot.com, efisys.bin, bootmgr.efi); the folder has no label.
    assert.deepEqual(unexpected.map((d) => [d.Kind, d.Path]).sort(), [
      ['Label', 'Label (FAT)'],
      ['OnlyInReference', 'boot\\etfsboot.com'],
      ['OnlyInReference', 'bootmgr.efi'],
      ['OnlyInReference', 'efi\\microsoft\\boot\\efisys.bin'],
    ]);
    assert.ok(c.differences.some((d) => d.Path === 'CaptureMedia.manifest.json' && d.Expected), 'our manifest is listed, never counted');
  });

  test('a path that is no medium: MediaInvalid (exit 4); a missing option: exit 2', async () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(100_000, 7));
    const r = await runCli(['compare', '--reference-path', reference, '--difference-path', junk, '--json']);
    assert.equal(r.code, 4);
    assert.match(r.stdout, /MediaInvalid/);
    assert.equal((await runCli(['compare', '--reference-path', reference])).code, 2);
  });

  test('an ISO set (capture.iso naming capture1.iso, capture2.iso, …) compares as one medium', async () => {
    const big = makeWinPeWim(join(dir, 'bigwim'), {
      compressible: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`sms/bin/x64/pkg${i}/payload${i}.bin`, 6 * 1024 * 1024])),
    });
    const env = { SOURCE_DATE_EPOCH: '1764000000' };
    const set = join(dir, 'set.iso');
    const single = join(dir, 'single.iso');
    for (const [path, extra] of [[set, ['--media-size', '20MiB']], [single, []]] as const) {
      const r = await runCli(['create', '--media-type', 'cddvd', '--path', path, '--boot-image', big, '--json', ...extra], { env });
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(existsSync(join(dir, 'set1.iso')) && existsSync(join(dir, 'set2.iso')) && !existsSync(set), 'a set of at least two discs');
    const r = await compare(set, single);
    assert.ok(r.differences.every((d) => d.Path === 'CaptureMedia.manifest.json' && d.Expected), JSON.stringify(r.differences));
    assert.equal(r.code, 0);
    const missing = await runCli(['compare', '--reference-path', join(dir, 'no-such-set.iso'), '--difference-path', single, '--json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /no-such-set1\.iso/);
  });

  test('a FIFO is refused at once (MediaInvalid), never read (it would block)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['compare', '--reference-path', fifo, '--difference-path', reference, '--json'], { timeoutMs: 20_000 });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /MediaInvalid.*FIFO/);
  });
});
