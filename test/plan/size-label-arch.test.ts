import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBytes, parseMediaSize, parseByteSize } from '../../src/plan/size.js';
import { isoVolumeLabel, validateMediaLabel } from '../../src/plan/label.js';
import { checkArchitecture, parseArchitecture } from '../../src/plan/architecture.js';
import { CaptureMediaError } from '../../src/errors.js';

describe('media sizes (the wizard presets)', () => {
  test('presets are the wizard byte counts', () => {
    assert.equal(parseMediaSize('Size650MB'), 681_574_400);
    assert.equal(parseMediaSize('size4gb'), 4_700_372_992);
    assert.equal(parseMediaSize('SIZE8GB'), 8_543_666_176);
    assert.equal(parseMediaSize('SizeUnlimited'), null);
    assert.equal(parseMediaSize(undefined), null);
  });
  test('KB/MB/GB/TB are decimal, as discs are sold, rounded down to whole 2048-byte sectors', () => {
    assert.equal(parseMediaSize('700MB'), Math.floor(700_000_000 / 2048) * 2048);
    assert.equal(parseMediaSize('4.7GB'), Math.floor(4_700_000_000 / 2048) * 2048);
    assert.equal(parseMediaSize('20 MB'), Math.floor(20_000_000 / 2048) * 2048);
    assert.equal(parseMediaSize('1TB'), Math.floor(1e12 / 2048) * 2048);
  });
  test('4.7GB fits a single-layer DVD (Size4GB); 4.7GiB would not', () => {
    assert.ok(parseMediaSize('4.7GB')! <= parseMediaSize('Size4GB')!);
    assert.ok(parseMediaSize('4.7GiB')! > parseMediaSize('Size4GB')!);
  });
  test('KiB/MiB/GiB/TiB are binary; a bare number is bytes', () => {
    assert.equal(parseMediaSize('700MiB'), 700 * 1024 ** 2);
    assert.equal(parseMediaSize('4GiB'), 4 * 1024 ** 3);
    assert.equal(parseMediaSize('2048000'), 2_048_000);
    assert.equal(parseByteSize('2KiB', 'x', 'MediaSizeInvalid', { minBytes: 1 }), 2048);
    assert.equal(parseByteSize('1TiB', 'x', 'MediaSizeInvalid'), 1024 ** 4);
    assert.equal(parseByteSize('3 kb', 'x', 'MediaSizeInvalid', { minBytes: 1 }), 3000);
  });
  test('image sizes', () => {
    assert.equal(parseByteSize('2GB', 'x', 'MediaSizeInvalid'), 2_000_000_000);
    assert.equal(parseByteSize('2GiB', 'x', 'MediaSizeInvalid'), 2 * 1024 ** 3);
  });
  test('too small and too large name the limit that works, in both units', () => {
    assert.throws(
      () => parseByteSize('1KB', 'The media size', 'MediaSizeInvalid'),
      (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaSizeInvalid' && /at least 1,048,576 bytes \(1\.05 MB, 1 MiB\)/.test(e.message),
    );
    assert.throws(
      () => parseByteSize('3TiB', 'The image size', 'MediaSizeInvalid', { maxBytes: 2 ** 41 }),
      (e: unknown) => e instanceof CaptureMediaError && /at most 2,199,023,255,552 bytes \(2\.2 TB, 2 TiB\)/.test(e.message),
    );
    for (const bad of ['abc', '-1', '1.2.3GB', '5 XB', '']) {
      assert.throws(() => parseMediaSize(bad), (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaSizeInvalid' && /KiB/.test(e.message), bad);
    }
  });
  test('describeBytes shows decimal and binary', () => {
    assert.equal(describeBytes(4_700_372_992), '4,700,372,992 bytes (4.7 GB, 4.38 GiB)');
    assert.equal(describeBytes(512), '512 bytes');
  });
});

describe('labels', () => {
  test('ISO label: d-characters, 32 max', () => {
    assert.equal(isoVolumeLabel('Configuration Manager'), 'CONFIGURATION_MANAGER');
    assert.equal(isoVolumeLabel('a'.repeat(40)).length, 32);
  });
  test('FAT label: first 11 characters uppercase, trailing space trimmed', () => {
    assert.equal(validateMediaLabel('Capture Media x64', { fat: true }).fat, 'CAPTURE MED');
    assert.equal(validateMediaLabel('Capture Me x', { fat: true }).fat, 'CAPTURE ME');
  });
  test('Joliet label: 16 characters', () => {
    assert.equal(validateMediaLabel('Configuration Manager', { fat: false }).joliet, 'Configuration Ma');
  });
});

describe('architecture rule', () => {
  const ok = (target: string, image: string) => checkArchitecture(parseArchitecture(target), image, 'img');
  const bad = (target: string, image: string) =>
    assert.throws(() => ok(target, image), (e: unknown) => e instanceof CaptureMediaError && e.id === 'ArchitectureMismatch' && e.exitCode === 3);
  test('x64 target runs x86 or x64 boot images', () => {
    ok('x64', 'x64');
    ok('x64', 'x86');
    bad('x64', 'arm64');
  });
  test('x86 target runs only x86', () => {
    ok('x86', 'x86');
    bad('x86', 'x64');
  });
  test('arm64 target runs only arm64', () => {
    ok('arm64', 'arm64');
    bad('arm64', 'x64');
  });
  test('no target: no check', () => checkArchitecture(undefined, 'arm64', 'img'));
  test('the refusal is grammatical: "an x86 boot image"', () => {
    assert.throws(() => checkArchitecture('x86', 'x64', 'img'), (e: unknown) => e instanceof CaptureMediaError && /needs an x86 boot image/.test(e.message));
  });
});
