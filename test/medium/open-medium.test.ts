// One view of any medium: which tree is read (UDF over Joliet over ISO 9660), which labels are
// seen, and what a bare drive letter means. Images are made by genisoimage, mkfs.fat + mtools.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openMedium, resolveMediumPath } from '../../src/medium/open-medium.js';
import { makeTempDir } from '../helpers/temp.js';
import { udfBridgeIso } from '../helpers/console-media.js';

let dir: string;
let cleanup: () => void;
let tree: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('medium'));
  tree = join(dir, 'tree');
  mkdirSync(join(tree, 'SMS', 'data'), { recursive: true });
  writeFileSync(join(tree, 'SMS', 'data', 'TsmBootstrap.ini'), '[MediaInfo]\r\n');
});
after(() => cleanup());

test('a UDF bridge image is read through UDF; its ISO 9660, Joliet and UDF labels are all seen', async () => {
  const iso = udfBridgeIso(tree, join(dir, 'bridge.iso'));
  const medium = await openMedium(iso);
  assert.equal(medium.fileSystem, 'UDF');
  assert.deepEqual(medium.labels, { iso: 'CONFIGURATION_MANAGER', joliet: 'CONFIGURATION_MA', udf: 'CONFIGURATION_MANAGER' });
  assert.deepEqual(medium.files.map((f) => f.path.join('/')), ['SMS/data/TsmBootstrap.ini']);
  assert.equal((await openMedium(iso, { ignoreUdf: true })).fileSystem, 'Joliet');
});

test('a FAT32 image (mkfs.fat + mcopy): its label and files', async () => {
  const img = join(dir, 'fat.img');
  execFileSync('truncate', ['-s', '40M', img]);
  execFileSync('mkfs.fat', ['-F', '32', '-n', 'CAPTURE', img], { stdio: 'ignore' });
  execFileSync('mcopy', ['-s', '-i', img, join(tree, 'SMS'), '::/'], { stdio: 'ignore' });
  const medium = await openMedium(img);
  assert.equal(medium.fileSystem, 'FAT32');
  assert.equal(medium.labels.fat, 'CAPTURE');
  assert.deepEqual(medium.files.map((f) => f.path.join('/')), ['SMS/data/TsmBootstrap.ini']);
  await medium.close();
});

test('a bare drive letter is the drive root, not the current folder on that drive', () => {
  assert.equal(resolveMediumPath('e:'), 'E:\\');
  assert.equal(resolveMediumPath('E:\\'), 'E:\\');
  assert.equal(resolveMediumPath('sub/x.iso'), join(process.cwd(), 'sub/x.iso'));
});
