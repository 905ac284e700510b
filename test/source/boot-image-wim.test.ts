// Boot images with a real WIM made by wimlib-imagex (real tools in the normal
// suite): the FileLib blob is opened in place by the WIM reader, and name, architecture and
// version come from the WIM XML of the boot index.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeContentLibrary } from '../../scripts/make-content-library.js';
import { findBootImage, listBootImages } from '../../src/source/boot-image.js';
import { describeBootImage } from '../../src/source/describe-boot-image.js';
import { openWim } from '../../src/wim/index.js';
import { bytesOf, drain, isError, scratch } from './fixture.js';

let work: { dir: string; cleanup: () => Promise<void> };
let wimPath: string;
let root: string;
let root2: string;
const PKG = 'PS100004';

function wimlib(...args: string[]): void {
  execFileSync('wimlib-imagex', args, { stdio: 'pipe' });
}

before(async () => {
  work = await scratch('wim');
  const tree = join(work.dir, 'tree');
  await mkdir(join(tree, 'Windows', 'Boot', 'EFI'), { recursive: true });
  await writeFile(join(tree, 'Windows', 'Boot', 'EFI', 'bootmgfw.efi'), bytesOf(150_000, 5));
  await writeFile(join(tree, 'Windows', 'System32.txt'), 'x');
  wimPath = join(work.dir, 'boot.wim');
  // Image 1: x86 setup-like image; image 2: the x64 WinPE marked bootable (boot index 2).
  wimlib('capture', tree, wimPath, 'Setup x86', 'first image', '--compress=lzx', '--image-property', 'WINDOWS/ARCH=0');
  wimlib(
    'append', tree, wimPath, 'Microsoft Windows PE (x64)', 'Microsoft Windows PE (x64)', '--boot',
    '--image-property', 'WINDOWS/ARCH=9',
    '--image-property', 'WINDOWS/VERSION/MAJOR=10',
    '--image-property', 'WINDOWS/VERSION/MINOR=0',
    '--image-property', 'WINDOWS/VERSION/BUILD=26100',
    '--image-property', 'WINDOWS/VERSION/SPBUILD=1',
  );
  root = join(work.dir, 'SCCMContentLib');
  root2 = join(work.dir, 'SCCMContentLibE');
  await makeContentLibrary({ root, splitFileLib: root2, packageId: PKG, version: [2, 3], utf16: true, files: [{ source: wimPath, name: `boot.${PKG}.wim` }] });
  await makeContentLibrary({ root, packageId: 'PS100005', files: [{ bytes: bytesOf(5000, 9), name: 'boot.PS100005.wim' }] });
});
after(async () => {
  await work.cleanup();
});

describe('boot image WIMs in the content library', () => {
  it('the WIM reader opens the FileLib blob in place', async () => {
    const image = await findBootImage([root, root2], PKG);
    assert.equal(image.contentId, `${PKG}.3`);
    assert.ok(image.wimFile.blobPath.startsWith(root2));
    const wim = await openWim(image.wimFile.blobPath);
    try {
      assert.equal(wim.bootIndex, 2);
      const winpe = await wim.openImage(2);
      const efi = winpe.lookup('Windows\\Boot\\EFI\\bootmgfw.efi');
      assert.ok(efi);
      assert.deepEqual(await drain(winpe.contentSource(efi).stream()), bytesOf(150_000, 5));
    } finally {
      await wim.close();
    }
    assert.deepEqual(await drain(image.source.stream()), await readFile(wimPath));
  });

  it('describeBootImage reads name, architecture and version of the boot index', async () => {
    const [x64] = await listBootImages([root, root2], { onSkipped: () => undefined });
    assert.ok(x64);
    assert.equal(x64.packageId, PKG);
    const described = await describeBootImage(x64);
    assert.equal(described.imageIndex, 2);
    assert.equal(described.name, 'Microsoft Windows PE (x64)');
    assert.equal(described.architecture, 'x64');
    assert.equal(described.osVersion, '10.0.26100.1');
    assert.equal(described.images.length, 2);
    assert.equal(described.images[0]!.architecture, 'x86');
    assert.equal(described.sizeBytes, (await readFile(wimPath)).length);
  });

  it('describeBootImage of a blob that is not a WIM fails with the WIM error id', async () => {
    const images = await listBootImages([root, root2]);
    const fake = images.find((i) => i.packageId === 'PS100005');
    assert.ok(fake);
    await assert.rejects(describeBootImage(fake), isError('WimInvalid'));
  });
});
