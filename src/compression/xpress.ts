// XPRESS as used in WIM files: MS-XCA "LZ77+Huffman" (MS-XCA, the LZ77+Huffman format and
// its "Decompression Algorithm Details" pseudo-code, which this decoder follows step for step).
//
// Each WIM chunk is compressed on its own (no history across chunks). A block starts with a
// 256-byte table holding 512 code lengths of 4 bits (low nibble = even symbol), then the bit
// stream. Symbols 0..255 are literals; symbol 256+x is a match with length header x & 15 and
// offset bit count x >> 4. A fresh table would follow every 65,536 bytes of output (MS-XCA,
// LZ77+Huffman "Processing"); WIM XPRESS chunks are at most 64 KiB, so each holds exactly one table.
//
// Deviation from the pseudo-code, as in every WIM reader: decoding stops when the chunk's known
// uncompressed size is reached, rather than at an end-of-stream symbol.

import { BitReader } from './bitstream.js';
import { HuffmanTable } from './huffman.js';

const CODEC = 'XPRESS';
const NUM_SYMBOLS = 512;
const TABLE_BYTES = 256;
const MAX_CODE_LENGTH = 15;
const BLOCK_OUTPUT_BYTES = 65536;
const MIN_MATCH = 3;

/** A reusable decoder: holds its decode table so chunks do not allocate. */
export class XpressDecoder {
  private readonly table = new HuffmanTable(NUM_SYMBOLS, 11, MAX_CODE_LENGTH);
  private readonly lengths = new Uint8Array(NUM_SYMBOLS);

  /**
   * Decompress `input[inStart, inEnd)` into `output[0, outLength)`.
   * Throws DecompressionError (codec, chunk, input offset) on any inconsistency.
   */
  decompress(input: Uint8Array, inStart: number, inEnd: number, output: Uint8Array, outLength: number, chunkIndex = 0): void {
    const { table, lengths } = this;
    const bits = new BitReader(input, inStart, Math.min(inEnd, inStart + TABLE_BYTES), CODEC, chunkIndex);
    if (outLength > BLOCK_OUTPUT_BYTES) {
      // WIM XPRESS chunks are at most 64 KiB (one table); wimlib rejects larger chunk sizes too.
      throw bits.error(`chunk of ${outLength} bytes is larger than one XPRESS block`, inStart);
    }
    if (outLength === 0) return;
    // MS-XCA decompression, first step: the 256-byte table of 4-bit lengths.
    if (inStart + TABLE_BYTES > inEnd) throw bits.overrun(inEnd);
    for (let i = 0; i < TABLE_BYTES; i++) {
      const b = input[inStart + i]!;
      lengths[2 * i] = b & 15;
      lengths[2 * i + 1] = b >> 4;
    }
    if (!table.build(lengths)) throw bits.error('invalid Huffman code lengths', inStart);
    const reader = new BitReader(input, inStart, inEnd, CODEC, chunkIndex);
    reader.reset(inStart + TABLE_BYTES);

    let out = 0;
    while (out < outLength) {
      const symbol = table.decode(reader);
      if (symbol < 256) {
        output[out++] = symbol;
        continue;
      }
      const x = symbol - 256;
      let length = x & 15;
      const offsetBits = x >> 4;
      if (length === 15) {
        // Extra length bytes sit at CurrentPosition, between bit-stream words (MS-XCA, LZ77+Huffman match encoding).
        length = reader.readByte();
        if (length === 255) {
          length = reader.readUint16();
          if (length === 0) length = reader.readUint32();
          if (length < 15) throw reader.error('invalid extended match length');
          length -= 15;
        }
        length += 15;
      }
      length += MIN_MATCH;
      // offsetBits is 0..15; the pseudo-code's `NextBits >> (32 - 0)` means no extra bits.
      const offset = (1 << offsetBits) + reader.read(offsetBits);
      if (offset > out) throw reader.error(`match offset ${offset} reaches before the start of the chunk`);
      if (length > outLength - out) throw reader.error('match runs past the end of the chunk');
      let src = out - offset;
      const end = out + length;
      if (offset >= length) {
        output.copyWithin(out, src, src + length);
        out = end;
      } else {
        // Overlapping copy: byte by byte repeats the pattern, as LZ77 means.
        while (out < end) output[out++] = output[src++]!;
      }
    }
  }
}

/** Convenience for tests and fuzzing: decompress one chunk into a new buffer. */
export function decompressXpress(input: Uint8Array, outLength: number, chunkIndex = 0): Uint8Array {
  const output = new Uint8Array(outLength);
  new XpressDecoder().decompress(input, 0, input.length, output, outLength, chunkIndex);
  return output;
}
