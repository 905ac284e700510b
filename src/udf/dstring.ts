// OSTA Compressed Unicode (UDF 1.02 §2.1.1 "CS0"), the character set of every UDF name and
// identifier: a compression id byte, then 8-bit characters (id 8) or UTF-16BE units (id 16).
// A dstring (ECMA-167 1/7.2.12) is a fixed-size field whose last byte holds the used length.

import { InvalidFormatError } from '../errors.js';

export const COMPRESSION_8 = 8;
export const COMPRESSION_16 = 16;

/** Decode `length` bytes of d-characters (compression id included). */
export function decodeCs0(bytes: Uint8Array, offset: number, length: number, where: number): string {
  if (length === 0) return '';
  const id = bytes[offset]!;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + offset + 1, length - 1);
  if (id === COMPRESSION_8) return body.toString('latin1');
  if (id === COMPRESSION_16) {
    if (body.length % 2 !== 0) throw new InvalidFormatError('MediaInvalid', 'UDF name', where, '16-bit name of odd length');
    const swapped = Buffer.from(body);
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  throw new InvalidFormatError('MediaInvalid', 'UDF name', where, `unknown OSTA compression id ${id}`);
}

/** A dstring field of `fieldBytes` bytes: its last byte is the length used. */
export function decodeDstring(bytes: Uint8Array, offset: number, fieldBytes: number, where: number): string {
  const used = bytes[offset + fieldBytes - 1]!;
  if (used === 0) return '';
  if (used > fieldBytes - 1) throw new InvalidFormatError('MediaInvalid', 'UDF dstring', where, `length ${used} does not fit its ${fieldBytes}-byte field`);
  return decodeCs0(bytes, offset, used, where).replace(/\0+$/u, '');
}
