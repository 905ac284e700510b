// The Authenticode hash of a PE image: what a signature's SpcIndirectDataContent records, and what
// UEFI firmware recomputes before it runs a program under Secure Boot.
//
// Microsoft "Windows Authenticode Portable Executable Signature Format", "Calculating the PE Image
// Hash": hash the headers up to SizeOfHeaders without the CheckSum field and the Certificate Table
// data directory entry, then every section's raw data in file order, then what follows the last
// section, except the certificate table. Readers differ on that last step when sections leave gaps
// (Debian's shim has some); hashing from the end of the last section to the certificate table is
// what matches the signatures of every signed program the tests read — Microsoft's on shim,
// Debian's on GRUB, sbsign's and osslsigncode's on programs the tests sign — and OVMF starts that
// same shim under Secure Boot (test/boot/secure-boot.test.ts).

import { createHash } from 'node:crypto';
import type { PeHeaders } from './pe-headers.js';

/** Node hash names for the digest algorithms Authenticode signatures use (RFC 3279, RFC 5754). */
export const DIGEST_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export function authenticodeHash(bytes: Uint8Array, headers: PeHeaders, algorithm: string): Buffer {
  const hash = createHash(algorithm);
  const entry = headers.certificateEntryOffset;
  hash.update(bytes.subarray(0, headers.checksumOffset));
  if (entry === undefined) {
    hash.update(bytes.subarray(headers.checksumOffset + 4, headers.headersSizeBytes));
  } else {
    hash.update(bytes.subarray(headers.checksumOffset + 4, entry));
    hash.update(bytes.subarray(entry + 8, headers.headersSizeBytes));
  }
  const sections = [...headers.sections].sort((a, b) => a.fileOffset - b.fileOffset);
  let end = headers.headersSizeBytes;
  for (const s of sections) {
    hash.update(bytes.subarray(s.fileOffset, s.fileOffset + s.sizeBytes));
    end = Math.max(end, s.fileOffset + s.sizeBytes);
  }
  const table = headers.certificateTable;
  const trailerEnd = table.sizeBytes > 0 && table.offset >= end ? table.offset : bytes.length;
  if (trailerEnd > end) hash.update(bytes.subarray(end, trailerEnd));
  if (table.sizeBytes > 0 && table.offset + table.sizeBytes < bytes.length) {
    // Data after the certificate table (not where signers put it, but possible): still the image's.
    hash.update(bytes.subarray(table.offset + table.sizeBytes));
  }
  return hash.digest();
}
