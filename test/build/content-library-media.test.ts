// Media from a distribution point's content library, through the real CLI: the boot image is read
// in place from FileLib and SHA-256-checked in the same pass that writes it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { makeContentLibrary } from '../../scripts/make-content-library.js';

let dir: string;
let cleanup: () => void;
let library: string;
let second: string;
let wim: string;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('contentlib-media'));
  // A file that is in the WIM but not on the media: nothing but the SHA-256 of the whole WIM reads it.
  wim = makeWinPeWim(join(dir, 'wim'), { extra: { 'Windows/System32/config/SYSTEM': 777_777 } });
  library = join(dir, 'SCCMContentLib');
  second = join(dir, 'SCCMContentLibE');
  await makeContentLibrary({ root: library, packageId: 'PS100004', version: [1, 3], files: [{ source: wim, name: 'boot.PS100004.wim' }], utf16: true, splitFileLib: second });
});
after(() => cleanup());

test('boot-images lists the package with the WIM XML facts', async () => {
  const r = await runCli(['boot-images', '--distribution-point', library, '--distribution-point', second, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const [image] = JSON.parse(r.stdout) as { Id: string; Architecture: string; ContentVersion: number; Name: string }[];
  assert.equal(image?.Id, 'PS100004');
  assert.equal(image?.Architecture, 'x64');
  assert.equal(image?.ContentVersion, 3, 'the highest content version');
  assert.equal(image?.Name, 'Microsoft Windows PE');
});

test('an ISO from a package whose blob is on a second root (UTF-16 INIs)', async () => {
  const iso = join(dir, 'ok.iso');
  const r = await runCli(['create', '--media-type', 'cddvd', '--path', iso, '--boot-image', 'ps100004', '--distribution-point', library, '--distribution-point', second, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal((JSON.parse(r.stdout) as { BootImage: string }).BootImage, 'PS100004');
});

test('an unknown package: BootImageNotFound listing the roots, exit 4', async () => {
  const r = await runCli(['create', '--media-type', 'cddvd', '--path', join(dir, 'x.iso'), '--boot-image', 'PS1000FF', '--distribution-point', library, '--distribution-point', second, '--json']);
  assert.equal(r.code, 4);
  const e = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
  assert.equal(e.id, 'BootImageNotFound');
  assert.ok(e.message.includes(library) && e.message.includes(second), e.message);
});

test('one flipped byte in the FileLib blob: ContentHashMismatch, exit 4, the existing ISO untouched, no temp file', async () => {
  const blobDir = [library, second].flatMap((root) => {
    const fileLib = join(root, 'FileLib');
    return existsSync(fileLib) ? readdirSync(fileLib).map((d) => join(fileLib, d)) : [];
  });
  const blob = blobDir.flatMap((d) => readdirSync(d).filter((n) => !n.endsWith('.INI')).map((n) => join(d, n)))[0]!;
  // Flip one byte inside the SYSTEM hive's resource (stored raw: random data), found with wimlib.
  const info = execFileSync('wimlib-imagex', ['info', wim, '--blobs'], { encoding: 'utf8' });
  const entry = info.split('\n\n').find((b) => b.includes('Uncompressed size = 777777 bytes'))!;
  const offset = Number(/Offset in WIM\s+= (\d+)/.exec(entry)![1]);
  const bytes = readFileSync(blob);
  bytes[offset + 1000] ^= 0x01;
  writeFileSync(blob, bytes);
  const target = join(dir, 'existing.iso');
  writeFileSync(target, 'the admin\'s previous ISO');
  const r = await runCli(['create', '--media-type', 'cddvd', '--path', target, '--force', '--boot-image', 'PS100004', '--distribution-point', library, '--distribution-point', second, '--json']);
  assert.equal(r.code, 4, r.stdout);
  const e = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
  assert.equal(e.id, 'ContentHashMismatch');
  assert.match(e.message, /PS100004/);
  assert.equal(readFileSync(target, 'utf8'), 'the admin\'s previous ISO');
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});
