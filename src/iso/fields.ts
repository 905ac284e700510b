// Field encodings shared by every ISO 9660 structure: the sector size, both-byte-order integers
// (ECMA-119 §7.2.3, §7.3.3), padded a-/d-character strings (§7.4) and the UCS-2 big-endian strings
// that Joliet puts in the same fields (Joliet spec §2, "all character fields are UCS-2 BE").

import { InvalidFormatError } from '../errors.js';

/** ECMA-119 §6.1.2: a logical sector is 2048 bytes; we use logical block size = sector size. */
export const SECTOR_BYTES = 2048;

/** ECMA-119 §6.2.1: the first 16 sectors are the System Area; volume descriptors start at 16. */
export const FIRST_VOLUME_DESCRIPTOR_LBA = 16;

/** The largest value a both-endian 32-bit field (data length, extent location) can carry. */
export const MAX_UINT32 = 0xffff_ffff;

export function sectorsFor(sizeBytes: number): number {
  return Math.ceil(sizeBytes / SECTOR_BYTES);
}

/** ECMA-119 §7.2.3: 16-bit value, little-endian copy then big-endian copy. */
export function writeBoth16(bytes: Uint8Array, offset: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint16(offset, value, true);
  view.setUint16(offset + 2, value, false);
}

/** ECMA-119 §7.3.3: 32-bit value, little-endian copy then big-endian copy. */
export function writeBoth32(bytes: Uint8Array, offset: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(offset, value, true);
  view.setUint32(offset + 4, value, false);
}

export function writeLe32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value, true);
}

export function writeBe32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value, false);
}

export function writeLe16(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(offset, value, true);
}

export function readLe16(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(offset, true);
}

export function readLe32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

export function readBe32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/**
 * Read a both-endian 32-bit field. The reader trusts the little-endian half, as Windows and the
 * Linux isofs driver do: some mastering tools have written a wrong big-endian half.
 */
export function readBoth32(bytes: Uint8Array, offset: number): number {
  return readLe32(bytes, offset);
}

export function readBoth16(bytes: Uint8Array, offset: number): number {
  return readLe16(bytes, offset);
}

/** Write an a-/d-character field (§7.4), padded with spaces (0x20) to `length` bytes. */
export function writeAsciiField(bytes: Uint8Array, offset: number, length: number, value: string): void {
  bytes.fill(0x20, offset, offset + length);
  for (let i = 0; i < Math.min(value.length, length); i++) bytes[offset + i] = value.charCodeAt(i) & 0x7f;
}

/**
 * Write a UCS-2 big-endian field (Joliet §2.x) padded with UCS-2 spaces (0x00 0x20). An odd
 * trailing byte (fields of 37 bytes) is left 0x00, as Microsoft's and mkisofs' writers do.
 */
export function writeUcs2Field(bytes: Uint8Array, offset: number, length: number, value: string): void {
  const units = Math.floor(length / 2);
  for (let i = 0; i < units; i++) {
    const code = i < value.length ? value.charCodeAt(i) : 0x20;
    bytes[offset + 2 * i] = code >> 8;
    bytes[offset + 2 * i + 1] = code & 0xff;
  }
  if (length % 2 === 1) bytes[offset + length - 1] = 0;
}

export function encodeUcs2(value: string): Uint8Array {
  const out = new Uint8Array(value.length * 2);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    out[2 * i] = code >> 8;
    out[2 * i + 1] = code & 0xff;
  }
  return out;
}

export function decodeUcs2(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}

export function decodeAscii(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** Read a space-padded text field, as ASCII or UCS-2 BE, with the padding removed. */
export function readTextField(bytes: Uint8Array, offset: number, length: number, ucs2: boolean): string {
  const raw = bytes.subarray(offset, offset + length);
  const text = ucs2 ? decodeUcs2(raw.subarray(0, length - (length % 2))) : decodeAscii(raw);
  return text.replace(/[\s\0]+$/u, '');
}

export function assertRange(structure: string, offset: number, bytes: Uint8Array, need: number): void {
  if (offset < 0 || offset + need > bytes.length) {
    throw new InvalidFormatError('MediaInvalid', structure, offset, `needs ${need} bytes, only ${Math.max(0, bytes.length - offset)} available`);
  }
}
