// Canonical Huffman decode tables shared by the XPRESS and LZX decoders.
//
// Both formats transmit only code lengths; codes are assigned canonically: shorter codes first,
// and among codes of one length in increasing symbol order (MS-XCA, LZ77+Huffman decompression,
// "build the decoding table"; LZX DELTA, "Huffman codes"; the same construction as RFC 1951 §3.2.2).
// Codes are read most-significant bit first from the bit stream.
//
// The table is two-level: a primary table indexed by the next `tableBits` bits, and for codes
// longer than that, one sub-table per primary slot indexed by the following bits. Entries:
//   0                          no code starts with these bits (an incomplete code: corrupt data)
//   (symbol << 8) | length     a code of `length` bits (1..16) for `symbol`
//   (subStart << 8) | 0x80 | subBits   a link to a sub-table of 2^subBits entries
// Over-subscribed length sets (Kraft sum > 1) are rejected when the table is built; incomplete
// sets are accepted (encoders emit them for one-symbol alphabets) and fail only if an unused
// code is actually met.

import type { BitReader } from './bitstream.js';

export const MAX_CODE_LENGTH = 16;
/** Entry flag: a link to a sub-table (see the entry layout above). */
export const LINK = 0x80;

export class HuffmanTable {
  readonly entries: Uint32Array;
  private readonly lengthCounts = new Uint16Array(MAX_CODE_LENGTH + 1);
  private readonly nextCode = new Uint32Array(MAX_CODE_LENGTH + 2);

  constructor(
    readonly numSymbols: number,
    readonly tableBits: number,
    readonly maxLength: number,
  ) {
    // Worst case: every primary slot links to a full sub-table.
    const subBits = Math.max(0, maxLength - tableBits);
    this.entries = new Uint32Array((1 << tableBits) + (subBits > 0 ? (1 << tableBits) << subBits : 0));
  }

  /**
   * Build the table from `lengths[0..numSymbols)`. Returns false when the lengths are
   * over-subscribed or exceed maxLength (the caller turns that into a DecompressionError).
   */
  build(lengths: Uint8Array): boolean {
    const { numSymbols, tableBits, maxLength, entries, lengthCounts, nextCode } = this;
    lengthCounts.fill(0);
    for (let s = 0; s < numSymbols; s++) {
      const len = lengths[s]!;
      if (len > maxLength) return false;
      lengthCounts[len]!++;
    }
    lengthCounts[0] = 0;
    // Kraft inequality, in units of 2^-maxLength.
    let left = 1;
    for (let len = 1; len <= maxLength; len++) {
      left = left * 2 - lengthCounts[len]!;
      if (left < 0) return false;
    }
    let code = 0;
    for (let len = 1; len <= maxLength; len++) {
      nextCode[len] = code;
      code = (code + lengthCounts[len]!) << 1;
    }

    const primarySize = 1 << tableBits;
    entries.fill(0, 0, primarySize);
    const subBits = maxLength - tableBits;
    let subNext = primarySize;

    for (let s = 0; s < numSymbols; s++) {
      const len = lengths[s]!;
      if (len === 0) continue;
      const c = nextCode[len]!++;
      if (len <= tableBits) {
        const shift = tableBits - len;
        const first = c << shift;
        const value = (s << 8) | len;
        entries.fill(value, first, first + (1 << shift));
      } else {
        const prefix = c >>> (len - tableBits);
        let link = entries[prefix]!;
        if (link === 0) {
          link = (subNext << 8) | LINK | subBits;
          entries[prefix] = link;
          entries.fill(0, subNext, subNext + (1 << subBits));
          subNext += 1 << subBits;
        }
        const subStart = link >>> 8;
        const rest = c & ((1 << (len - tableBits)) - 1);
        const shift = maxLength - len;
        const first = subStart + (rest << shift);
        entries.fill((s << 8) | (len - tableBits), first, first + (1 << shift));
      }
    }
    return true;
  }

  /** Decode one symbol from the reader, or throw when the bits match no code. */
  decode(reader: BitReader): number {
    const entries = this.entries;
    const tableBits = this.tableBits;
    let entry = entries[reader.peek(tableBits)]!;
    if ((entry & LINK) !== 0) {
      reader.consume(tableBits);
      const subBits = entry & 0x7f;
      entry = entries[(entry >>> 8) + reader.peek(subBits)]!;
    }
    const len = entry & 0x7f;
    if (len === 0) throw reader.error('bits match no Huffman code');
    reader.consume(len);
    return entry >>> 8;
  }
}
