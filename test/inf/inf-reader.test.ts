// The INF reader on INFs written for it: syntax (sections, quoting, %strkey%, continuations,
// comments), encodings (ANSI, UTF-8, UTF-16LE/BE), [Version] fields, and which models section
// serves which architecture and OS version.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDecoration, parseInf, readInf, selectModelsSection, type InfReadResult } from '../../src/inf/index.js';
import { ahciInf, netInf, nvmeInf, utf16 } from '../helpers/inf-samples.js';

const X64 = { architecture: 'x64', version: '10.0.26100.1' } as const;

function read(result: InfReadResult) {
  assert.equal(result.kind, 'read', result.kind === 'rejected' ? result.reason : '');
  return result as Extract<InfReadResult, { kind: 'read' }>;
}

describe('INF syntax', () => {
  it('reads sections, keys with several values, quotes, %strings%, continuations and comments', () => {
    const r = read(readInf(Buffer.from(netInf(), 'latin1'), X64));
    assert.equal(r.driver.className, 'Net');
    assert.equal(r.driver.classGuid, '4d36e972-e325-11ce-bfc1-08002be10318');
    assert.equal(r.driver.provider, 'Intel Corporation');
    assert.equal(r.driver.driverDate, '2023-07-12');
    assert.equal(r.driver.driverVersion, '2.1.3.15');
    assert.equal(r.driver.catalogFile, 'e2f68.cat');
    assert.equal(r.driver.models.length, 2);
    const [first] = r.driver.models;
    assert.equal(first!.description, 'Intel(R) Ethernet Controller I225-V; rev "3"');
    assert.equal(first!.installSection, 'E15F3_0.ndi');
    assert.equal(first!.hardwareId, 'PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03');
    assert.equal(first!.section, 'Intel.NTamd64.10.0...16299');
    assert.equal(first!.lineNumber, 14);
    assert.deepEqual(r.problems, []);
  });

  it('keeps quoted commas, semicolons and blanks; %% is a percent sign; unknown tokens stay', () => {
    const doc = parseInf(Buffer.from('[A]\nk = " a, b ; c ", 50%%, %nope%, x"y""z" ; comment\n[Strings]\n'));
    assert.deepEqual(doc.section('a')!.valuesOf('K'), [' a, b ; c ', '50%', '%nope%', 'xy"z']);
  });

  it('joins continued lines, also with a comment after the backslash, and reports the first line', () => {
    const doc = parseInf(Buffer.from('[M]\r\n%d% = inst, \\ ; first\r\n  ID1, \\\r\n  ID2\r\nnext = 1\r\n[Strings]\r\nd=Desc\r\n'));
    const lines = doc.section('M')!.lines;
    assert.deepEqual(lines.map((l) => [l.lineNumber, l.key, l.values]), [
      [2, 'Desc', ['inst', 'ID1', 'ID2']],
      [5, 'next', ['1']],
    ]);
  });

  it('substitutes once: a string whose value holds a token is not expanded again', () => {
    const doc = parseInf(Buffer.from('[A]\nk=%a%\n[Strings]\na="%b%"\nb="%a%"\n'));
    assert.deepEqual(doc.section('A')!.valuesOf('k'), ['%b%']);
  });

  it('merges a repeated section; [Strings] wins over a localized [Strings.0407]', () => {
    const doc = parseInf(Buffer.from('[Strings.0407]\nx=de\ny=nur-de\n[A]\nk=%x%\n[a]\nj=%y%\n[Strings]\nx=en\n'));
    assert.deepEqual(doc.section('A')!.lines.map((l) => l.values[0]), ['en', 'nur-de']);
  });

  it('names what it could not read cleanly instead of failing', () => {
    const doc = parseInf(Buffer.from('stray\n[A\nk="open\n'));
    assert.deepEqual(doc.section('A')!.valuesOf('k'), ['open']);
    assert.ok(doc.problems.some((p) => p.includes('before the first [section]')));
    assert.ok(doc.problems.some((p) => p.includes('without "]"')));
    assert.ok(doc.problems.some((p) => p.includes('quote not closed')));
  });

  it('an INF without [Version] is rejected as not a driver INF', () => {
    const r = readInf(Buffer.from('[Strings]\na=b\n'), X64);
    assert.equal(r.kind, 'rejected');
  });
});

describe('INF encodings', () => {
  const expected = read(readInf(Buffer.from(netInf(), 'latin1'), X64)).driver;
  it('UTF-16LE with BOM (Windows "Unicode") reads the same as ANSI', () => {
    const r = read(readInf(utf16(netInf()), X64));
    assert.equal(r.document.encoding, 'utf-16le');
    assert.deepEqual(r.driver, expected);
  });
  it('UTF-16BE with BOM, UTF-8 with BOM, and UTF-16LE without BOM (said so)', () => {
    const be = Buffer.from(utf16(netInf())).swap16();
    assert.equal(read(readInf(be, X64)).document.encoding, 'utf-16be');
    assert.deepEqual(read(readInf(be, X64)).driver, expected);
    const u8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(netInf())]);
    assert.deepEqual(read(readInf(u8, X64)).driver, expected);
    const noBom = read(readInf(Buffer.from(netInf(), 'utf16le'), X64));
    assert.deepEqual(noBom.driver, expected);
    assert.ok(noBom.problems.some((p) => p.includes('without a byte order mark')));
  });
  it('ANSI (Windows-1252) text that is not UTF-8 decodes as Windows-1252', () => {
    const doc = parseInf(Buffer.concat([Buffer.from('[A]\nk="Caf'), Buffer.from([0xe9, 0x80]), Buffer.from('"\n')]));
    assert.equal(doc.encoding, 'windows-1252');
    assert.deepEqual(doc.section('A')!.valuesOf('k'), ['Café€']);
  });
  it('malformed UTF-16 (odd length, lone surrogate) is read with U+FFFD and a problem', () => {
    const bad = Buffer.concat([utf16('[Version]\r\nClass=Net\r\nx='), Buffer.from([0x00, 0xd8]), Buffer.from('\r\n', 'utf16le'), Buffer.from([0x41])]);
    const r = read(readInf(bad, X64));
    assert.equal(r.driver.className, 'Net');
    assert.ok(r.problems.some((p) => p.includes('odd number of bytes')));
    assert.ok(r.problems.some((p) => p.includes('unpaired surrogates')));
  });
});

describe('models sections by architecture and OS version', () => {
  it('x64 takes NTamd64, arm64 takes NTarm64, x86 nothing from an x64/arm64 INF', () => {
    assert.deepEqual(read(readInf(Buffer.from(netInf()), X64)).driver.models.map((m) => m.hardwareId), ['PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03', 'PCI\\VEN_8086&DEV_15F3']);
    assert.deepEqual(read(readInf(Buffer.from(netInf()), { architecture: 'arm64', version: '10.0.26100.1' })).driver.models.map((m) => m.hardwareId), ['PCI\\VEN_8086&DEV_ARM1']);
    assert.deepEqual(read(readInf(Buffer.from(netInf()), { architecture: 'x86', version: '10.0.26100.1' })).driver.models, []);
  });
  it('a decoration newer than the image does not apply; an unknown version takes the newest', () => {
    assert.equal(read(readInf(Buffer.from(netInf()), { architecture: 'x64', version: '10.0.14393.0' })).driver.models.length, 0);
    assert.equal(read(readInf(Buffer.from(netInf()), { architecture: 'x64' })).driver.models.length, 2);
    assert.equal(selectModelsSection('M', ['NTamd64', 'NTamd64.10.0...19041', 'NTamd64.10.0...26200'], X64), 'M.NTamd64.10.0...19041');
    assert.equal(selectModelsSection('M', ['NT.6.1', 'NTamd64.6.1'], X64), 'M.NTamd64.6.1');
    assert.equal(selectModelsSection('M', ['NT.6.1'], { architecture: 'arm64' }), 'M.NT.6.1');
    assert.equal(selectModelsSection('M', [], { architecture: 'x86' }), 'M');
    assert.equal(selectModelsSection('M', [], X64), undefined);
  });
  it('parses TargetOSVersion decorations case-insensitively', () => {
    assert.deepEqual(parseDecoration('ntAMD64.10.0...17763'), { text: 'ntAMD64.10.0...17763', architecture: 'amd64', major: 10, minor: 0, build: 17763 });
    assert.equal(parseDecoration('NTarm64')!.architecture, 'arm64');
    assert.equal(parseDecoration('Windows10'), undefined);
  });
  it('class from ClassGuid when Class= is absent; compatible ids of a model line', () => {
    const ahci = read(readInf(Buffer.from(ahciInf()), X64)).driver;
    assert.equal(ahci.className, 'HDC');
    assert.deepEqual(ahci.models[0]!.compatibleIds, ['PCI\\CC_010601']);
    const nvme = read(readInf(utf16(nvmeInf()), X64)).driver;
    assert.equal(nvme.className, 'SCSIAdapter');
    assert.equal(nvme.provider, 'Microsoft');
  });
  it('a [Manufacturer] line naming a missing models section is a problem, not a failure', () => {
    const r = read(readInf(Buffer.from('[Version]\nClass=Net\n[Manufacturer]\nX=Gone,NTamd64\n'), X64));
    assert.deepEqual(r.driver.models, []);
    assert.ok(r.problems.some((p) => p.includes('[Gone.NTamd64]')));
  });
});
