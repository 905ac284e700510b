// A console-made capture stick used as -Template is the disk an admin is likeliest to name as the
// target by mistake: it must be refused (DiskInUseBySource, naming the template) before anything is
// written. Real loop devices with a mounted ext4 partition stand in for the stick.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { LoopLab } from '../helpers/loop-lab.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

const MiB = 1024 * 1024;
let dir: string;
let cleanup: () => void;
let lab: LoopLab;
let wim: string;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('template-disk'));
  wim = makeWinPeWim(join(dir, 'wim'), {});
  lab = await LoopLab.create();
});
after(async () => {
  await lab.cleanup();
  assert.deepEqual(await lab.leftoverLoops(), [], 'no loop device left attached');
  cleanup();
});

test('the disk holding the template is refused as a target: DiskInUseBySource names the template', async () => {
  const { device, partition } = await lab.partitionedExt4('template-stick.img', 64 * MiB);
  const mounted = await lab.mount(partition, 'stick');
  const template = join(mounted, 'console-media');
  mkdirSync(join(template, 'SMS', 'bin', 'x64'), { recursive: true });
  writeFileSync(join(template, 'SMS', 'bin', 'x64', 'TSMBAutorun.exe'), 'STAND-IN launcher (test fixture)');
  const r = await runCli(['create', '--media-type', 'usb', '--path', device, '--boot-image', wim, '--template', template, '--format-media', '--yes', '--json']);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  const error = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
  assert.equal(error.id, 'DiskInUseBySource');
  assert.match(error.message, /the template/);
});
