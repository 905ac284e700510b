// The parts of a PE/COFF image's headers that Authenticode needs: where the checksum and the
// certificate table's data directory entry sit (both are left out of the image hash), how far the
// headers reach, the section table, and the certificate table's file range.
//
// Microsoft PE/COFF specification: §2 MS-DOS stub (e_lfanew at +0x3C), §3.3 COFF file header,
// §3.4 optional header (magic 0x10B PE32 / 0x20B PE32+; CheckSum at +64; SizeOfHeaders at +60;
// NumberOfRvaAndSizes at +92 / +108; data directories at +96 / +112, entry 4 = Certificate Table,
// whose "RVA" is a file offset), §4 section table (40 bytes per section). UEFI programs are PE32+
// (x64, arm64) or PE32 (ia32) images of this same format.
//
// Every field is bounds-checked against the buffer before it is read: hostile input ends in an
// AuthenticodeFormatError naming the structure and offset, never in a RangeError.

export const DOS_MAGIC = 0x5a4d; // 'MZ'
export const PE_SIGNATURE = 0x00004550; // 'PE\0\0'
export const PE32_MAGIC = 0x10b;
export const PE32_PLUS_MAGIC = 0x20b;
const E_LFANEW_OFFSET = 0x3c;
const COFF_HEADER_SIZE = 20;
const SECTION_HEADER_SIZE = 40;
const DATA_DIRECTORY_SIZE = 8;
/** Data directory index of the Certificate Table (PE/COFF §3.4.3). */
export const CERTIFICATE_TABLE_INDEX = 4;
/** More sections than the loader accepts (the COFF field is 16 bits; Windows caps at 96). */
const MAX_SECTIONS = 96;

/** A PE file that cannot be read as one; `offset` is where the reading stopped. */
export class AuthenticodeFormatError extends Error {
  constructor(
    readonly structure: string,
    readonly offset: number,
    message: string,
  ) {
    super(`${structure} at offset ${offset}: ${message}`);
  }
}
AuthenticodeFormatError.prototype.name = 'AuthenticodeFormatError';

export interface PeSection {
  /** +0x14 PointerToRawData */
  readonly fileOffset: number;
  /** +0x10 SizeOfRawData */
  readonly sizeBytes: number;
}

export interface PeHeaders {
  readonly machine: number;
  readonly is64: boolean;
  /** File offset of the optional header's CheckSum field (4 bytes). */
  readonly checksumOffset: number;
  /** File offset of the Certificate Table data directory entry (8 bytes), or undefined when the header has no entry 4. */
  readonly certificateEntryOffset: number | undefined;
  /** SizeOfHeaders: headers plus section table, rounded to FileAlignment. */
  readonly headersSizeBytes: number;
  readonly sections: readonly PeSection[];
  /** The certificate table's file range (size 0 when the file is unsigned). */
  readonly certificateTable: { readonly offset: number; readonly sizeBytes: number };
}

function need(bytes: Uint8Array, offset: number, length: number, structure: string): void {
  if (offset < 0 || offset + length > bytes.length) {
    throw new AuthenticodeFormatError(structure, offset, `needs ${length} bytes, the file has ${Math.max(0, bytes.length - offset)} there`);
  }
}

/** True when the bytes start like a PE image ('MZ' and a 'PE\0\0' at e_lfanew); says nothing of the rest. */
export function looksLikePe(bytes: Uint8Array): boolean {
  if (bytes.length < E_LFANEW_OFFSET + 4) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0, true) !== DOS_MAGIC) return false;
  const pe = view.getUint32(E_LFANEW_OFFSET, true);
  return pe + 4 <= bytes.length && view.getUint32(pe, true) === PE_SIGNATURE;
}

export function parsePeHeaders(bytes: Uint8Array): PeHeaders {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  need(bytes, 0, E_LFANEW_OFFSET + 4, 'MS-DOS header');
  if (view.getUint16(0, true) !== DOS_MAGIC) throw new AuthenticodeFormatError('MS-DOS header', 0, 'no MZ signature');
  const pe = view.getUint32(E_LFANEW_OFFSET, true);
  need(bytes, pe, 4 + COFF_HEADER_SIZE, 'PE signature and COFF header');
  if (view.getUint32(pe, true) !== PE_SIGNATURE) throw new AuthenticodeFormatError('PE signature', pe, 'not PE\\0\\0');
  const coff = pe + 4;
  const machine = view.getUint16(coff, true); // +0x00 Machine
  const sectionCount = view.getUint16(coff + 2, true); // +0x02 NumberOfSections
  const optionalSize = view.getUint16(coff + 16, true); // +0x10 SizeOfOptionalHeader
  if (sectionCount > MAX_SECTIONS) throw new AuthenticodeFormatError('COFF header', coff + 2, `${sectionCount} sections (at most ${MAX_SECTIONS})`);

  const optional = coff + COFF_HEADER_SIZE;
  need(bytes, optional, optionalSize, 'optional header');
  if (optionalSize < 2) throw new AuthenticodeFormatError('optional header', optional, 'missing');
  const magic = view.getUint16(optional, true); // +0x00 Magic
  if (magic !== PE32_MAGIC && magic !== PE32_PLUS_MAGIC) {
    throw new AuthenticodeFormatError('optional header', optional, `magic 0x${magic.toString(16)} is neither PE32 nor PE32+`);
  }
  const is64 = magic === PE32_PLUS_MAGIC;
  const countOffset = optional + (is64 ? 108 : 92); // NumberOfRvaAndSizes
  const directories = optional + (is64 ? 112 : 96);
  if (countOffset + 4 > optional + optionalSize) throw new AuthenticodeFormatError('optional header', optional, `${optionalSize} bytes is too short`);
  const headersSizeBytes = view.getUint32(optional + 60, true); // +60 SizeOfHeaders
  const directoryCount = view.getUint32(countOffset, true);
  const checksumOffset = optional + 64; // +64 CheckSum

  let certificateEntryOffset: number | undefined;
  let certificateTable = { offset: 0, sizeBytes: 0 };
  const entry = directories + CERTIFICATE_TABLE_INDEX * DATA_DIRECTORY_SIZE;
  if (directoryCount > CERTIFICATE_TABLE_INDEX && entry + DATA_DIRECTORY_SIZE <= optional + optionalSize) {
    certificateEntryOffset = entry;
    certificateTable = { offset: view.getUint32(entry, true), sizeBytes: view.getUint32(entry + 4, true) };
  }

  const sectionTable = optional + optionalSize;
  need(bytes, sectionTable, sectionCount * SECTION_HEADER_SIZE, 'section table');
  if (headersSizeBytes < sectionTable + sectionCount * SECTION_HEADER_SIZE || headersSizeBytes > bytes.length) {
    throw new AuthenticodeFormatError('optional header', optional + 60, `SizeOfHeaders ${headersSizeBytes} does not cover the headers or exceeds the file (${bytes.length} bytes)`);
  }
  const sections: PeSection[] = [];
  for (let i = 0; i < sectionCount; i++) {
    const at = sectionTable + i * SECTION_HEADER_SIZE;
    const sizeBytes = view.getUint32(at + 16, true);
    const fileOffset = view.getUint32(at + 20, true);
    if (sizeBytes === 0) continue; // uninitialised data (.bss): nothing in the file
    if (fileOffset + sizeBytes > bytes.length) {
      throw new AuthenticodeFormatError('section header', at, `section ${i} (${fileOffset}+${sizeBytes}) runs past the end of the file (${bytes.length} bytes)`);
    }
    sections.push({ fileOffset, sizeBytes });
  }

  if (certificateTable.sizeBytes > 0) {
    const { offset, sizeBytes } = certificateTable;
    if (offset + sizeBytes > bytes.length) {
      throw new AuthenticodeFormatError('certificate table', certificateEntryOffset ?? 0, `${offset}+${sizeBytes} runs past the end of the file (${bytes.length} bytes)`);
    }
    if (offset < headersSizeBytes) {
      throw new AuthenticodeFormatError('certificate table', certificateEntryOffset ?? 0, `starts at ${offset}, inside the headers (${headersSizeBytes} bytes)`);
    }
    for (const s of sections) {
      if (offset < s.fileOffset + s.sizeBytes && s.fileOffset < offset + sizeBytes) {
        throw new AuthenticodeFormatError('certificate table', offset, `overlaps the section at ${s.fileOffset}+${s.sizeBytes}`);
      }
    }
  }
  return { machine, is64, checksumOffset, certificateEntryOffset, headersSizeBytes, sections, certificateTable };
}
