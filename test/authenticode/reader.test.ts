// The Authenticode reader on real signed EFI programs (Debian's Microsoft dual-signed shim, its
// Debian-signed GRUB), on programs the test signs itself (sbsign, then a nested signature added by
// osslsigncode, with self-made CAs named as test CAs), on unsigned and modified programs, and on
// hostile certificate tables. Expected names are those `sbverify --list` prints for the same files.
//
// Hostile samples, each made here from a real program:
//   truncated-*      the file cut at many offsets (headers, sections, inside the certificate table)
//   table-past-end   the security directory's size runs past the end of the file
//   table-in-headers the security directory points into the headers
//   table-overlaps   the security directory overlaps the last section
//   zero-length      a WIN_CERTIFICATE whose dwLength is 0 (would loop forever if trusted)
//   huge-length      a WIN_CERTIFICATE whose dwLength is 0xFFFFFFF0
//   wrong-type       a WIN_CERTIFICATE of type 1 (X.509), not PKCS #7
//   garbage-pkcs7    random bytes where the SignedData should be
//   many-sections    NumberOfSections 0xFFFF
//   fuzz             200 seeded random byte mutations of the certificate table and headers
// Every one must give a report (never a throw, never a hang), and none may claim a matching digest
// unless the mutation left the signed bytes alone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { readAuthenticode, readAuthenticodeFile, type AuthenticodeReport } from '../../src/authenticode/reader.js';
import { summariseSigners, WINDOWS_PCA_2011 } from '../../src/authenticode/signers.js';
import { makeTempDir } from '../helpers/temp.js';
import { GRUB_SIGNED, makeTestCa, nestSignature, requireSigningPackages, sbsign, SHIM_SIGNED, SHIM_UNSIGNED, type TestCa } from '../helpers/test-signing.js';
import { xorshift32 } from '../helpers/xorshift.js';

let dir: string;
let cleanup: () => void;
let alpha: TestCa;
let beta: TestCa;
let oneSigned: string;
let nested: string;

before(async () => {
  requireSigningPackages();
  ({ path: dir, cleanup } = makeTempDir('authenticode'));
  alpha = await makeTestCa(dir, 'Alpha');
  beta = await makeTestCa(dir, 'Beta');
  oneSigned = join(dir, 'one.efi');
  await sbsign(alpha, SHIM_UNSIGNED, oneSigned);
  nested = join(dir, 'nested.efi');
  await nestSignature(beta, oneSigned, nested);
});
after(() => cleanup());

const issuers = (r: AuthenticodeReport) => r.signatures.map((s) => s.issuer?.commonName);
const securityDirectory = (b: Buffer) => {
  const pe = b.readUInt32LE(0x3c);
  const optional = pe + 24;
  const entry = optional + (b.readUInt16LE(optional) === 0x20b ? 112 : 96) + 4 * 8;
  return { entry, offset: b.readUInt32LE(entry), size: b.readUInt32LE(entry + 4) };
};

describe('Authenticode reader on real signed programs', () => {
  test('Debian shim: two signatures, Microsoft UEFI CA 2011 and Microsoft UEFI CA 2023, as sbverify lists them', async () => {
    const r = await readAuthenticodeFile(SHIM_SIGNED);
    assert.equal(r.status, 'signed');
    assert.deepEqual(issuers(r), ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
    assert.deepEqual(r.signatures.map((s) => s.entry), [0, 1], 'two WIN_CERTIFICATE entries');
    assert.deepEqual(r.signatures.map((s) => s.subject?.commonName), ['Microsoft Windows UEFI Driver Publisher', 'Microsoft UEFI CA 2023 signer']);
    assert.ok(r.signatures.every((s) => s.digestAlgorithm === 'sha256' && s.digestMatches && s.signatureVerified && s.problem === undefined));
    assert.equal(r.signatures[0]!.issuer!.distinguishedName, 'CN=Microsoft Corporation UEFI CA 2011, O=Microsoft Corporation, L=Redmond, S=Washington, C=US');

    const { stdout } = await execa('sbverify', ['--list', SHIM_SIGNED]);
    for (const name of issuers(r)) assert.ok(stdout.includes(`CN=${name}`), `sbverify also lists ${name}`);
  });

  test('Debian GRUB: one signature by Debian Secure Boot CA', async () => {
    const r = await readAuthenticodeFile(GRUB_SIGNED);
    assert.equal(r.status, 'signed');
    assert.deepEqual(issuers(r), ['Debian Secure Boot CA']);
    assert.equal(r.signatures[0]!.subject?.commonName, 'Debian Secure Boot Signer 2022 - grub2');
    assert.ok(r.signatures[0]!.digestMatches && r.signatures[0]!.signatureVerified);
  });

  test('the unsigned shim is unsigned, and a non-PE file is not-pe', async () => {
    assert.deepEqual(await readAuthenticodeFile(SHIM_UNSIGNED), { status: 'unsigned', signatures: [], problems: [] });
    assert.equal(readAuthenticode(Buffer.from('#!/bin/sh\n')).status, 'not-pe');
    assert.equal(readAuthenticode(new Uint8Array(0)).status, 'not-pe');
  });

  test('a program signed by the test with sbsign: the test CA, digest matching', async () => {
    const r = await readAuthenticodeFile(oneSigned);
    assert.deepEqual(issuers(r), [alpha.caName]);
    assert.equal(r.signatures[0]!.subject?.commonName, alpha.signerName);
    assert.ok(r.signatures[0]!.digestMatches && r.signatures[0]!.signatureVerified);
  });

  test('a nested signature (which sbverify and Get-AuthenticodeSignature do not show) is reported with its depth', async () => {
    const r = await readAuthenticodeFile(nested);
    assert.deepEqual(issuers(r), [alpha.caName, beta.caName]);
    assert.deepEqual(r.signatures.map((s) => [s.entry, s.nestingDepth]), [[0, 0], [0, 1]]);
    assert.ok(r.signatures.every((s) => s.digestMatches && s.signatureVerified));
    const { stdout } = await execa('sbverify', ['--list', nested]);
    assert.ok(!stdout.includes(beta.caName), 'sbverify lists only the outer signature');
  });

  test('a modified program: every signature still read, none matches the file', () => {
    const bytes = readFileSync(SHIM_SIGNED);
    const { offset } = securityDirectory(bytes);
    bytes[Math.floor(offset / 2)] ^= 0x01; // one bit inside a section
    const r = readAuthenticode(bytes);
    assert.equal(r.status, 'signed');
    assert.deepEqual(issuers(r), ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
    assert.ok(r.signatures.every((s) => !s.digestMatches && s.signatureVerified));
    const summary = summariseSigners(r, 'bootx64.efi');
    assert.deepEqual(summary.signers, []);
    assert.match(summary.warning ?? '', /modified after signing/);
  });

  test('signer summary: a dual-signed program has two signers and no warning; unsigned warns', async () => {
    const shim = summariseSigners(await readAuthenticodeFile(SHIM_SIGNED), 'bootx64.efi');
    assert.deepEqual(shim.signers, ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
    assert.equal(shim.warning, undefined);
    assert.match(summariseSigners(await readAuthenticodeFile(SHIM_UNSIGNED), 'bootx64.efi').warning ?? '', /bootx64\.efi is unsigned/);
  });

  test('signer summary: signed only by PCA 2011 warns about the revocation', () => {
    const fake: AuthenticodeReport = {
      status: 'signed',
      problems: [],
      signatures: [
        {
          entry: 0,
          nestingDepth: 0,
          digestAlgorithm: 'sha256',
          subject: { commonName: 'Microsoft Windows', distinguishedName: 'CN=Microsoft Windows' },
          issuer: { commonName: WINDOWS_PCA_2011, distinguishedName: `CN=${WINDOWS_PCA_2011}` },
          serialNumber: '01',
          digestMatches: true,
          signatureVerified: true,
          problem: undefined,
        },
      ],
    };
    assert.match(summariseSigners(fake, '\\efi\\boot\\bootx64.efi').warning ?? '', /will not boot on devices where the 2023 Secure Boot mitigations \(KB5025885\) revoked PCA 2011/);
  });
});

describe('Authenticode reader on hostile input', () => {
  const mutate = (source: string, change: (b: Buffer) => void): AuthenticodeReport => {
    const b = readFileSync(source);
    change(b);
    return readAuthenticode(b);
  };
  const malformed = (r: AuthenticodeReport, pattern: RegExp) => {
    assert.equal(r.status, 'malformed', JSON.stringify(r));
    assert.ok(r.problems.some((p) => pattern.test(p)), r.problems.join('; '));
  };

  test('truncated at 300 offsets: a report each, never a claimed match', () => {
    const whole = readFileSync(SHIM_SIGNED);
    const { offset } = securityDirectory(whole);
    const cuts = new Set<number>();
    for (let i = 0; i < 200; i++) cuts.add(Math.floor((whole.length * i) / 200));
    for (let i = 0; i < 100; i++) cuts.add(offset + i * 37);
    for (const cut of cuts) {
      const r = readAuthenticode(whole.subarray(0, cut));
      assert.ok(['not-pe', 'malformed', 'unsigned'].includes(r.status) || r.signatures.every((s) => !s.digestMatches), `cut at ${cut}: ${r.status}`);
    }
  });

  test('table-past-end, table-in-headers, table-overlaps', () => {
    malformed(mutate(SHIM_SIGNED, (b) => { const d = securityDirectory(b); b.writeUInt32LE(d.size + 4096, d.entry + 4); }), /runs past the end of the file/);
    malformed(mutate(SHIM_SIGNED, (b) => { const d = securityDirectory(b); b.writeUInt32LE(0x100, d.entry); }), /inside the headers/);
    malformed(
      mutate(SHIM_SIGNED, (b) => {
        const d = securityDirectory(b);
        const pe = b.readUInt32LE(0x3c);
        const firstSection = pe + 24 + b.readUInt16LE(pe + 20);
        b.writeUInt32LE(b.readUInt32LE(firstSection + 20), d.entry); // the first section's PointerToRawData
      }),
      /overlaps the section/,
    );
  });

  test('zero-length and huge-length WIN_CERTIFICATE, wrong type, garbage PKCS #7', () => {
    malformed(mutate(SHIM_SIGNED, (b) => b.writeUInt32LE(0, securityDirectory(b).offset)), /dwLength 0 does not fit/);
    malformed(mutate(SHIM_SIGNED, (b) => b.writeUInt32LE(0xfffffff0, securityDirectory(b).offset)), /dwLength 4294967280 does not fit/);
    const wrongType = mutate(GRUB_SIGNED, (b) => b.writeUInt16LE(1, securityDirectory(b).offset + 6));
    malformed(wrongType, /type 1, not PKCS #7/);
    const garbage = mutate(GRUB_SIGNED, (b) => {
      const d = securityDirectory(b);
      const next = xorshift32(7);
      for (let i = d.offset + 8; i < d.offset + d.size; i++) b[i] = next() & 0xff;
    });
    assert.equal(garbage.status, 'signed');
    assert.match(garbage.signatures[0]!.problem ?? '', /cannot be decoded|not SignedData/);
    assert.equal(garbage.signatures[0]!.digestMatches, false);
  });

  test('many-sections: NumberOfSections 0xFFFF', () => {
    malformed(mutate(GRUB_SIGNED, (b) => b.writeUInt16LE(0xffff, b.readUInt32LE(0x3c) + 6)), /65535 sections/);
  });

  test('fuzz: 200 seeded mutations of headers and certificate table never throw and stay fast', () => {
    const whole = readFileSync(GRUB_SIGNED);
    const { offset, size } = securityDirectory(whole);
    const next = xorshift32(20261204);
    const started = Date.now();
    for (let round = 0; round < 200; round++) {
      const b = Buffer.from(whole);
      const flips = 1 + (next() % 8);
      for (let f = 0; f < flips; f++) {
        const inTable = next() % 4 !== 0;
        const at = inTable ? offset + (next() % size) : next() % 0x400;
        b[at] = next() & 0xff;
      }
      let r: AuthenticodeReport;
      try {
        r = readAuthenticode(b);
      } catch (e: unknown) {
        throw new Error(`round ${round} threw: ${String(e)}`);
      }
      assert.ok(['signed', 'unsigned', 'not-pe', 'malformed'].includes(r.status));
    }
    assert.ok(Date.now() - started < 60_000, `200 rounds took ${Date.now() - started} ms`);
  });

  test('a file over the size cap is refused without being read', async () => {
    const big = join(dir, 'big.efi');
    copyFileSync(GRUB_SIGNED, big);
    await execa('truncate', ['-s', '65M', big]);
    malformed(await readAuthenticodeFile(big), /larger than any boot program/);
  });
});
