// Plan validation: each bad parameter gives its stable error id and exit code before any work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJob } from '../../src/job/run-job.js';
import type { BridgeParams } from '../../src/bridge/schema.js';
import type { Reporter } from '../../src/job/events.js';
import { createMediaPlan } from '../../src/plan/media-plan.js';
import { makeTempDir } from '../helpers/temp.js';

const silent: Reporter = { progress() {}, log() {}, result() {} };
let dir: string;
let cleanup: () => void;
let wim: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('plan'));
  wim = join(dir, 'boot.wim');
  writeFileSync(wim, 'not really a wim; the plan does not read content');
  writeFileSync(join(dir, 'existing.iso'), 'old iso');
  writeFileSync(join(dir, 'afile'), 'x');
  mkdirSync(join(dir, 'dir.iso'));
  mkdirSync(join(dir, 'contentlib'));
  process.env.CAPTUREMEDIA_NO_LOG = '1';
});
after(() => cleanup());

function base(overrides: Partial<BridgeParams>): BridgeParams {
  return { mediaType: 'CdDvd', path: [join(dir, 'out.iso')], bootImage: wim, temporaryFolder: dir, ...overrides };
}

async function expectError(params: BridgeParams, id: string, exitCode: number): Promise<void> {
  const outcome = await runJob('create', params, silent, new AbortController().signal);
  assert.equal(outcome.error?.id, id, `expected ${id}, got ${outcome.error?.id}: ${outcome.error?.message}`);
  assert.equal(outcome.exitCode, exitCode);
  assert.ok(outcome.error.message.length > 20, 'the message explains the problem');
}

const cases: [string, () => Partial<BridgeParams>, string, number][] = [
  ['unknown media type', () => ({ mediaType: 'Floppy' }), 'InvalidParameter', 2],
  ['no path', () => ({ path: [] }), 'InvalidParameter', 2],
  ['two ISO paths', () => ({ path: [join(dir, 'a.iso'), join(dir, 'b.iso')] }), 'ParameterConflict', 2],
  ['--no-format with cddvd', () => ({ noFormat: true }), 'ParameterConflict', 2],
  ['--media-size with usbimage', () => ({ mediaType: 'UsbImage', path: [join(dir, 'x.img')], mediaSize: 'Size4GB' }), 'ParameterConflict', 2],
  ['--image-size with cddvd', () => ({ imageSize: '2GB' }), 'ParameterConflict', 2],
  ['--allow-fixed-disk with cddvd', () => ({ allowFixedDisk: true }), 'ParameterConflict', 2],
  ['label with *', () => ({ mediaLabel: 'Cap*ture' }), 'LabelInvalid', 2],
  ['label with ?', () => ({ mediaLabel: 'Capture?' }), 'LabelInvalid', 2],
  ['label with /', () => ({ mediaLabel: 'a/b' }), 'LabelInvalid', 2],
  ['label with \\', () => ({ mediaLabel: 'a\\b' }), 'LabelInvalid', 2],
  ['label with |', () => ({ mediaLabel: 'a|b' }), 'LabelInvalid', 2],
  ['label with <>', () => ({ mediaLabel: '<x>' }), 'LabelInvalid', 2],
  ['label with "', () => ({ mediaLabel: 'say "x"' }), 'LabelInvalid', 2],
  ['label with a control character', () => ({ mediaLabel: 'tab\there' }), 'LabelInvalid', 2],
  ['empty label', () => ({ mediaLabel: '' }), 'LabelInvalid', 2],
  ['200-character label', () => ({ mediaLabel: 'x'.repeat(200) }), 'LabelInvalid', 2],
  ['label with a leading space', () => ({ mediaLabel: ' Capture' }), 'LabelInvalid', 2],
  ['FAT label with a dot (usbimage)', () => ({ mediaType: 'UsbImage', path: [join(dir, 'x.img')], mediaLabel: 'Cap.ture' }), 'LabelInvalid', 2],
  ['FAT label with non-ASCII (usbimage)', () => ({ mediaType: 'UsbImage', path: [join(dir, 'x.img')], mediaLabel: 'Capturé' }), 'LabelInvalid', 2],
  ['media size 0', () => ({ mediaSize: '0' }), 'MediaSizeInvalid', 2],
  ['media size -1', () => ({ mediaSize: '-1' }), 'MediaSizeInvalid', 2],
  ['media size 1KB', () => ({ mediaSize: '1KB' }), 'MediaSizeInvalid', 2],
  ['media size abc', () => ({ mediaSize: 'abc' }), 'MediaSizeInvalid', 2],
  ['media size 0.5MB (too small)', () => ({ mediaSize: '0.5MB' }), 'MediaSizeInvalid', 2],
  ['image size huge', () => ({ mediaType: 'UsbImage', path: [join(dir, 'x.img')], imageSize: 'huge' }), 'MediaSizeInvalid', 2],
  ['target architecture ia64', () => ({ targetArchitecture: 'ia64' }), 'InvalidParameter', 2],
  ['ISO path ending .txt', () => ({ path: [join(dir, 'x.txt')] }), 'OutputPathInvalid', 2],
  ['ISO path that is a directory', () => ({ path: [join(dir, 'dir.iso')] }), 'OutputPathInvalid', 2],
  ['image path ending .iso', () => ({ mediaType: 'UsbImage', path: [join(dir, 'x.iso')] }), 'OutputPathInvalid', 2],
  ['output folder missing', () => ({ path: [join(dir, 'missing', 'x.iso')] }), 'OutputDirectoryMissing', 3],
  ['existing ISO without --force', () => ({ path: [join(dir, 'existing.iso')] }), 'OutputExists', 3],
  ['temporary folder missing', () => ({ temporaryFolder: join(dir, 'nope') }), 'TemporaryFolderInvalid', 2],
  ['temporary folder is a file', () => ({ temporaryFolder: join(dir, 'afile') }), 'TemporaryFolderInvalid', 2],
  ['package id without --distribution-point', () => ({ bootImage: 'PS100004' }), 'ParameterConflict', 2],
  ['.wim file that does not exist', () => ({ bootImage: join(dir, 'missing.wim') }), 'BootImageNotFound', 4],
  ['boot image neither id nor file', () => ({ bootImage: 'hello' }), 'InvalidParameter', 2],
  ['boot image file with --distribution-point', () => ({ distributionPoint: [join(dir, 'contentlib')] }), 'ParameterConflict', 2],
  [
    'output inside the content library',
    () => ({ bootImage: 'PS100004', distributionPoint: [dir], path: [join(dir, 'inside.iso')] }),
    'OutputPathInvalid',
    2,
  ],
  ['usb --format-media without --yes', () => ({ mediaType: 'Usb', path: ['/dev/loop99'], formatMedia: true }), 'ConfirmationRequired', 3],
  ['--format-media with cddvd', () => ({ formatMedia: true }), 'ParameterConflict', 2],
  ['--format-media with --no-format', () => ({ mediaType: 'Usb', path: ['/dev/loop99'], formatMedia: true, noFormat: true, yes: true }), 'ParameterConflict', 2],
  ['log path that cannot be created', () => ({ logPath: join(dir, 'afile', 'sub', 'x.log') }), 'LogPathInvalid', 2],
];

describe('create parameter validation', () => {
  for (const [name, overrides, id, exitCode] of cases) {
    test(`${name} -> ${id} (exit ${exitCode})`, () => expectError(base(overrides()), id, exitCode));
  }

});

describe('valid parameters produce a plan', () => {
  test('defaults: label, verify, format, unlimited size', async () => {
    const plan = await createMediaPlan({ mediaType: 'cddvd', path: [join(dir, 'ok.iso')], bootImage: wim, temporaryFolder: dir });
    assert.equal(plan.mediaType, 'CdDvd');
    assert.equal(plan.label.text, 'Configuration Manager');
    assert.equal(plan.label.iso, 'CONFIGURATION_MANAGER');
    assert.equal(plan.label.joliet, 'Configuration Ma');
    assert.equal(plan.label.fat, 'CONFIGURATI');
    assert.equal(plan.mediaSizeBytes, null);
    assert.equal(plan.verify, true);
    assert.equal(plan.bootImage.kind, 'file');
  });

  test('existing ISO with --force is accepted', async () => {
    const plan = await createMediaPlan({ mediaType: 'CdDvd', path: [join(dir, 'existing.iso')], bootImage: wim, temporaryFolder: dir, force: true });
    assert.equal(plan.force, true);
  });

  test('a dot in a CD/DVD label is fine (ISO maps it to _)', async () => {
    const plan = await createMediaPlan({ mediaType: 'CdDvd', path: [join(dir, 'ok.iso')], bootImage: wim, temporaryFolder: dir, mediaLabel: 'Capture v1.2' });
    assert.equal(plan.label.iso, 'CAPTURE_V1_2');
  });

  test('package id with a distribution point', async () => {
    const plan = await createMediaPlan({ mediaType: 'CdDvd', path: [join(dir, 'ok.iso')], bootImage: 'ps100004', distributionPoint: [join(dir, 'contentlib')], temporaryFolder: dir });
    assert.deepEqual(plan.bootImage, { kind: 'package', packageId: 'PS100004', distributionPoints: [join(dir, 'contentlib')] });
  });

  test('usb without --format-media needs no --yes and does not format (New-CMCaptureMedia rule)', async () => {
    const plan = await createMediaPlan({ mediaType: 'Usb', path: ['/dev/loop99'], bootImage: wim, temporaryFolder: dir });
    assert.equal(plan.format, false);
    const formatting = await createMediaPlan({ mediaType: 'Usb', path: ['/dev/loop99'], bootImage: wim, temporaryFolder: dir, formatMedia: true, yes: true });
    assert.equal(formatting.format, true);
  });

  test('usb with --what-if needs no --yes; several drives', async () => {
    const plan = await createMediaPlan({ mediaType: 'usb', path: ['/dev/loop98', '/dev/loop99'], bootImage: wim, temporaryFolder: dir, whatIf: true });
    assert.deepEqual(plan.targets, ['/dev/loop98', '/dev/loop99']);
  });
});
