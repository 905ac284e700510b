import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CaptureMediaError } from '../../src/errors.js';
import { INI_MAX_BYTES, parseIni, readIniFile } from '../../src/source/ini.js';

const utf16 = (text: string, bom = true): Uint8Array =>
  Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
const utf8 = (text: string, bom = false): Uint8Array => Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);

function assertInvalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof CaptureMediaError && e.id === 'ContentLibraryInvalid' && pattern.test(e.message));
}

const SAMPLE = '[Packages]\r\nPS100004.1=\r\nPS100004.2=\r\n\r\n[File]\r\nHash=ABCD\r\nSize=12\r\n';

describe('parseIni', () => {
  it('reads UTF-16LE with a BOM and CRLF', () => {
    const ini = parseIni(utf16(SAMPLE), 'x.INI');
    assert.equal(ini.encoding, 'utf-16le');
    assert.deepEqual(
      ini.section('Packages')?.entries.map((e) => e.key),
      ['PS100004.1', 'PS100004.2'],
    );
    assert.equal(ini.section('File')?.get('Size'), '12');
  });

  it('reads UTF-16LE without a BOM', () => {
    const ini = parseIni(utf16(SAMPLE, false), 'x.INI');
    assert.equal(ini.encoding, 'utf-16le');
    assert.equal(ini.section('file')?.get('hash'), 'ABCD');
  });

  it('reads UTF-16BE with a BOM', () => {
    const le = Buffer.from(SAMPLE, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    const ini = parseIni(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'x.INI');
    assert.equal(ini.encoding, 'utf-16be');
    assert.equal(ini.section('File')?.get('Size'), '12');
  });

  it('reads UTF-8 with and without a BOM, LF or CR line ends', () => {
    for (const bytes of [utf8(SAMPLE, true), utf8(SAMPLE), utf8(SAMPLE.replaceAll('\r\n', '\n')), utf8(SAMPLE.replaceAll('\r\n', '\r'))]) {
      const ini = parseIni(bytes, 'x.INI');
      assert.equal(ini.encoding, 'utf-8');
      assert.equal(ini.sections.length, 2);
      assert.equal(ini.sections[0]!.name, 'Packages', 'a UTF-8 BOM must not become part of the first section name');
      assert.equal(ini.section('FILE')?.get('HASH'), 'ABCD');
    }
  });

  it('keeps non-ASCII text', () => {
    const ini = parseIni(utf16('[File]\r\nName=Grüße 日本\r\n'), 'x.INI');
    assert.equal(ini.section('file')?.get('name'), 'Grüße 日本');
  });

  it('looks sections and keys up ignoring case, keeping the written case', () => {
    const ini = parseIni(utf8('[Content Id]\r\nps100004.1=\r\n'), 'x.INI');
    const section = ini.section('CONTENT ID');
    assert.ok(section);
    assert.equal(section.name, 'Content Id');
    assert.equal(section.has('PS100004.1'), true);
    assert.equal(section.entries[0]!.key, 'ps100004.1');
  });

  it('skips comments, blank lines and lines before the first section; trims whitespace', () => {
    const ini = parseIni(utf8('orphan=1\n; comment\n  [ File ]  \n ; Hash=no\n  Size =  42 \n\nbare\n'), 'x.INI');
    const file = ini.section('File');
    assert.ok(file);
    assert.equal(file.get('Size'), '42');
    assert.equal(file.get('Hash'), undefined);
    assert.equal(file.get('bare'), '');
    assert.equal(ini.section('orphan'), undefined);
  });

  it('keeps "=" inside values', () => {
    assert.equal(parseIni(utf8('[a]\nk=x=y\n'), 'x').section('a')?.get('k'), 'x=y');
  });

  it('lets the last of duplicate keys win and merges repeated sections', () => {
    const ini = parseIni(utf8('[File]\nSize=1\nsize=2\n[Other]\n[file]\nSIZE=3\nHash=H\n'), 'x.INI');
    assert.equal(ini.sections.length, 2);
    const file = ini.section('File');
    assert.equal(file?.get('Size'), '3');
    assert.equal(file?.get('Hash'), 'H');
    assert.deepEqual(
      file?.entries.map((e) => e.key),
      ['Size', 'Hash'],
    );
  });

  it('refuses invalid UTF-8 and odd-length UTF-16 naming the file', () => {
    assertInvalid(() => parseIni(Buffer.from([0x5b, 0xff, 0xfe, 0xfd, 0x5d]), 'bad.INI'), /bad\.INI.*utf-8/);
    assertInvalid(() => parseIni(Buffer.from([0xff, 0xfe, 0x5b, 0x00, 0x41]), 'odd.INI'), /odd\.INI.*odd byte count/);
  });

  it('refuses more than INI_MAX_BYTES, accepts exactly that much', () => {
    const big = Buffer.alloc(INI_MAX_BYTES + 1, 0x20);
    assertInvalid(() => parseIni(big, 'big.INI'), /big\.INI.*limit is 1048576/);
    const edge = Buffer.alloc(INI_MAX_BYTES, 0x20);
    edge.write('[a]\nk=v\n', 0);
    assert.equal(parseIni(edge, 'edge.INI').section('a')?.get('k'), 'v');
  });
});

describe('readIniFile', () => {
  it('reads a file and refuses an oversized one before reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cm-ini-'));
    try {
      await writeFile(join(dir, 'ok.INI'), utf16(SAMPLE));
      const ini = await readIniFile(join(dir, 'ok.INI'));
      assert.equal(ini.section('packages')?.entries.length, 2);

      await writeFile(join(dir, 'big.INI'), Buffer.alloc(INI_MAX_BYTES + 10, 0x41));
      await assert.rejects(readIniFile(join(dir, 'big.INI')), (e: unknown) => e instanceof CaptureMediaError && e.id === 'ContentLibraryInvalid' && e.message.includes('big.INI'));

      await assert.rejects(readIniFile(join(dir, 'missing.INI')), (e: unknown) => e instanceof CaptureMediaError && e.id === 'ContentLibraryInvalid' && e.message.includes('missing.INI'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
