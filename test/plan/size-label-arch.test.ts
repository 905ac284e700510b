import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMediaSize, parseByteSize } from '../../src/plan/size.js';
import { isoVolumeLabel, validateMediaLabel } from '../../src/plan/label.js';
import { checkArchitecture, parseArchitecture } from '../../src/plan/architecture.js';
import { CaptureMediaError } from '../../src/errors.js';

describe('media sizes (DESIGN.md §1)', () => {
  test('presets are the wizard byte counts', () => {
    assert.equal(parseMediaSize('Size650MB'), 681_574_400);
    assert.equal(parseMediaSize('size4gb'), 4_700_372_992);
    assert.equal(parseMediaSize('SIZE8GB'), 8_543_666_176);
    assert.equal(parseMediaSize('SizeUnlimited'), null);
    assert.equal(parseMediaSize(undefined), null);
  });
  test('explicit sizes are binary units, rounded down to whole 2048-byte sectors', () => {
    assert.equal(parseMediaSize('700MB'), 700 * 1024 * 1024);
    assert.equal(parseMediaSize('4.7GB'), Math.floor((4.7 * 1024 ** 3) / 2048) * 2048);
    assert.equal(parseMediaSize('20 MB'), 20 * 1024 * 1024);
  });
  test('image sizes', () => {
    assert.equal(parseByteSize('2GB', 'x', 'MediaSizeInvalid'), 2 * 1024 ** 3);
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
});
