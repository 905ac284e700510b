// The attribute certificate table of a PE image: a run of WIN_CERTIFICATE entries, each 8-byte
// aligned (PE/COFF specification §5.7, "The Attribute Certificate Table (Image Only)").
//
//   +0x00 dwLength          u32  length of this entry, header included (unpadded)
//   +0x04 wRevision         u16  0x0100 (legacy) or 0x0200 (WIN_CERT_REVISION_2_0)
//   +0x06 wCertificateType  u16  0x0002 = WIN_CERT_TYPE_PKCS_SIGNED_DATA (Authenticode)
//   +0x08 bCertificate      dwLength - 8 bytes; then padding to the next multiple of 8
//
// A file may carry several entries (a dual-signed shim has one per signature); the table's size in
// the data directory bounds the walk, and an entry whose length would leave the table is refused.

import { AuthenticodeFormatError } from './pe-headers.js';

export const WIN_CERTIFICATE_HEADER_SIZE = 8;
export const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002;
/** A table cannot hold more entries than this many 8-byte headers: bounds the walk on hostile input. */
const MAX_ENTRIES = 64;

export interface WinCertificate {
  /** File offset of the entry's header. */
  readonly offset: number;
  readonly revision: number;
  readonly certificateType: number;
  /** bCertificate: for type 2, a DER PKCS #7 ContentInfo holding SignedData. */
  readonly certificate: Uint8Array;
}

export function parseWinCertificates(bytes: Uint8Array, table: { offset: number; sizeBytes: number }): WinCertificate[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = table.offset + table.sizeBytes;
  const entries: WinCertificate[] = [];
  let at = table.offset;
  while (at + WIN_CERTIFICATE_HEADER_SIZE <= end) {
    if (entries.length === MAX_ENTRIES) throw new AuthenticodeFormatError('WIN_CERTIFICATE', at, `more than ${MAX_ENTRIES} entries`);
    const length = view.getUint32(at, true); // +0x00 dwLength
    if (length < WIN_CERTIFICATE_HEADER_SIZE || at + length > end) {
      throw new AuthenticodeFormatError('WIN_CERTIFICATE', at, `dwLength ${length} does not fit the certificate table (${table.offset}+${table.sizeBytes})`);
    }
    entries.push({
      offset: at,
      revision: view.getUint16(at + 4, true), // +0x04 wRevision
      certificateType: view.getUint16(at + 6, true), // +0x06 wCertificateType
      certificate: bytes.subarray(at + WIN_CERTIFICATE_HEADER_SIZE, at + length),
    });
    at += Math.ceil(length / 8) * 8;
  }
  return entries;
}
