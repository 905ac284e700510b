// LZX as used in WIM files.
//
// Written from the LZX DELTA format specification (MS-PATCH, "LZX DELTA Compression and
// Decompression", the LZX format sections: blocks, pretree-coded code lengths, position slots, repeated
// offsets, E8 translation) and the WIM-specific deviations that wimlib's documentation lists:
//   - each chunk is compressed independently: the window is the chunk size, and the repeated
//     offsets (R0=R1=R2=1) and the previous code lengths (all 0) are reset at every chunk;
//   - there is no E8 header bit: E8 call translation is always on, with a translation size of
//     12,000,000 and positions counted from the start of the chunk;
//   - the block size field is 1 bit ("1" = the default 32,768) or, after a "0" bit, 16 bits,
//     followed by 8 more low-order bits when the window is 64 KiB or larger (blocks may then
//     exceed 65,535 bytes).
// Block types (LZX DELTA, "Block"): 1 verbatim, 2 aligned offset, 3 uncompressed.

import { DecompressionError } from '../errors.js';
import { BitReader } from './bitstream.js';
import { HuffmanTable, LINK } from './huffman.js';

const CODEC = 'LZX';
const NUM_CHARS = 256;
const MIN_MATCH = 2;
const NUM_PRIMARY_LENGTHS = 7;
const LENGTH_TREE_SYMBOLS = 249;
const PRETREE_SYMBOLS = 20;
const ALIGNED_SYMBOLS = 8;
const DEFAULT_BLOCK_SIZE = 32768;
const E8_TRANSLATION_SIZE = 12_000_000;
const BLOCK_VERBATIM = 1;
const BLOCK_ALIGNED = 2;
const BLOCK_UNCOMPRESSED = 3;
export const LZX_MIN_WINDOW_ORDER = 15;
export const LZX_MAX_WINDOW_ORDER = 21;

/** Position slots per window size (LZX DELTA, position slot table; window 2^15 … 2^21). */
const POSITION_SLOTS: Record<number, number> = { 15: 30, 16: 32, 17: 34, 18: 36, 19: 38, 20: 42, 21: 50 };

/** Extra bits and base of each position slot (LZX DELTA, "position slots"): extra = min(17, slot/2 - 1). */
const EXTRA_BITS = new Uint8Array(50);
const POSITION_BASE = new Uint32Array(50);
for (let slot = 0, base = 0; slot < 50; slot++) {
  EXTRA_BITS[slot] = slot < 4 ? 0 : Math.min(17, (slot >> 1) - 1);
  POSITION_BASE[slot] = base;
  base += 1 << EXTRA_BITS[slot]!;
}

/** Window order (log2) for a WIM chunk size, or undefined when LZX cannot use it. */
export function lzxWindowOrder(chunkSizeBytes: number): number | undefined {
  for (let order = LZX_MIN_WINDOW_ORDER; order <= LZX_MAX_WINDOW_ORDER; order++) {
    if (chunkSizeBytes <= 1 << order) return order;
  }
  return undefined;
}

export class LzxDecoder {
  private readonly numMainSymbols: number;
  private readonly windowSizeBytes: number;
  private readonly mainLengths: Uint8Array;
  private readonly lengthLengths = new Uint8Array(LENGTH_TREE_SYMBOLS);
  private readonly alignedLengths = new Uint8Array(ALIGNED_SYMBOLS);
  private readonly pretreeLengths = new Uint8Array(PRETREE_SYMBOLS);
  private readonly mainTable: HuffmanTable;
  private readonly lengthTable = new HuffmanTable(LENGTH_TREE_SYMBOLS, 10, 16);
  private readonly alignedTable = new HuffmanTable(ALIGNED_SYMBOLS, 7, 7);
  private readonly pretreeTable = new HuffmanTable(PRETREE_SYMBOLS, 8, 15);
  /** R0, R1, R2: the repeated match offsets, reset to 1 at every chunk. */
  private readonly repeats = new Uint32Array(3);

  /** @param chunkSizeBytes the WIM chunk size, which is the LZX window size. */
  constructor(readonly chunkSizeBytes: number) {
    const order = lzxWindowOrder(chunkSizeBytes);
    if (order === undefined) throw new RangeError(`LZX cannot use a ${chunkSizeBytes}-byte window`);
    this.windowSizeBytes = 1 << order;
    this.numMainSymbols = NUM_CHARS + 8 * POSITION_SLOTS[order]!;
    this.mainLengths = new Uint8Array(this.numMainSymbols);
    this.mainTable = new HuffmanTable(this.numMainSymbols, 11, 16);
  }

  /**
   * Decompress `input[inStart, inEnd)` (one WIM chunk) into `output[0, outLength)`.
   * Throws DecompressionError (codec, chunk, input offset) on any inconsistency.
   */
  decompress(input: Uint8Array, inStart: number, inEnd: number, output: Uint8Array, outLength: number, chunkIndex = 0): void {
    if (outLength > this.chunkSizeBytes) throw new RangeError('chunk larger than the LZX window');
    const bits = new BitReader(input, inStart, inEnd, CODEC, chunkIndex);
    this.mainLengths.fill(0);
    this.lengthLengths.fill(0);
    const repeats = this.repeats;
    repeats.fill(1);
    let out = 0;
    // Nominal block boundaries: a match may run a little past its block's end (the next block is
    // then that much shorter in effect), so blocks are laid end to end from their sizes.
    let blockEnd = 0;
    while (out < outLength) {
      const blockType = bits.read(3);
      let blockSize = DEFAULT_BLOCK_SIZE;
      if (bits.read(1) === 0) {
        blockSize = bits.read(16);
        if (this.windowSizeBytes >= 65536) blockSize = blockSize * 256 + bits.read(8);
      }
      if (blockSize === 0 || blockSize > outLength - blockEnd) {
        throw bits.error(`block size ${blockSize} does not fit the ${outLength - blockEnd} bytes left in the chunk`);
      }
      blockEnd += blockSize;

      if (blockType === BLOCK_UNCOMPRESSED) {
        if (out !== blockEnd - blockSize) throw bits.error('a match runs into an uncompressed block');
        // LZX DELTA "Uncompressed block": align, R0 R1 R2 as 32-bit LE, the raw bytes, one pad byte if odd.
        let p = bits.alignForRawBytes();
        if (p + 12 + blockSize > inEnd) throw bits.overrun(inEnd);
        repeats[0] = readU32(input, p);
        repeats[1] = readU32(input, p + 4);
        repeats[2] = readU32(input, p + 8);
        p += 12;
        output.set(input.subarray(p, p + blockSize), out);
        out = blockEnd;
        p += blockSize + (blockSize & 1);
        if (out < outLength) bits.reset(p);
        continue;
      }
      if (blockType !== BLOCK_VERBATIM && blockType !== BLOCK_ALIGNED) {
        throw bits.error(`invalid block type ${blockType}`);
      }
      const aligned = blockType === BLOCK_ALIGNED;
      if (aligned) {
        for (let i = 0; i < ALIGNED_SYMBOLS; i++) this.alignedLengths[i] = bits.read(3);
        if (!this.alignedTable.build(this.alignedLengths)) throw bits.error('invalid aligned offset tree');
      }
      // LZX DELTA "Verbatim block": main tree as two runs (literals, then match symbols), then the length tree.
      this.readLengths(bits, this.mainLengths, 0, NUM_CHARS);
      this.readLengths(bits, this.mainLengths, NUM_CHARS, this.numMainSymbols);
      if (!this.mainTable.build(this.mainLengths)) throw bits.error('invalid main tree');
      this.readLengths(bits, this.lengthLengths, 0, LENGTH_TREE_SYMBOLS);
      if (!this.lengthTable.build(this.lengthLengths)) throw bits.error('invalid length tree');

      out = decodeSymbols(bits, output, out, blockEnd, outLength, this.mainTable, this.lengthTable, aligned ? this.alignedTable : undefined, repeats);
    }
    undoE8Translation(output, outLength);
  }

  /**
   * Code lengths for symbols [first, last) via a freshly read pretree (LZX DELTA, "pretree"): 20
   * lengths of 4 bits, then pretree symbols 0–16 (delta from the previous block's length, mod 17),
   * 17 (4+4 bits zeros), 18 (20+5 bits zeros), 19 (4+1 bits copies of one delta-coded length).
   */
  private readLengths(bits: BitReader, lengths: Uint8Array, first: number, last: number): void {
    const pre = this.pretreeLengths;
    for (let i = 0; i < PRETREE_SYMBOLS; i++) pre[i] = bits.read(4);
    if (!this.pretreeTable.build(pre)) throw bits.error('invalid pretree');
    const pretree = this.pretreeTable;
    let i = first;
    while (i < last) {
      const code = pretree.decode(bits);
      if (code <= 16) {
        lengths[i] = (lengths[i]! + 17 - code) % 17;
        i++;
        continue;
      }
      let run: number;
      let value = 0;
      if (code === 17) {
        run = 4 + bits.read(4);
      } else if (code === 18) {
        run = 20 + bits.read(5);
      } else {
        run = 4 + bits.read(1);
        const delta = pretree.decode(bits);
        if (delta > 16) throw bits.error('invalid pretree run');
        value = (lengths[i]! + 17 - delta) % 17;
      }
      if (run > last - i) throw bits.error('code length run past the end of the tree');
      lengths.fill(value, i, i + run);
      i += run;
    }
  }
}

/**
 * The symbol loop of a verbatim or aligned block: LZX's hot path, where nearly all the time goes.
 * The bit reader's state lives in locals for the block (V8 keeps them in registers; reading and
 * writing the BitReader's fields for every symbol made decoding about twice as slow), so the
 * Huffman lookups and bit reads of BitReader and HuffmanTable are written out here. Each "take n
 * bits" does what BitReader.consume() does: shift, refuse to consume zero padding (input
 * overrun), refill to at least 16 bits. Returns the output position reached.
 */
function decodeSymbols(
  bits: BitReader,
  output: Uint8Array,
  start: number,
  blockEnd: number,
  outLength: number,
  mainTable: HuffmanTable,
  lengthTable: HuffmanTable,
  alignedTable: HuffmanTable | undefined,
  repeats: Uint32Array,
): number {
  const data = bits.data;
  const end = bits.end;
  const main = mainTable.entries;
  const mainBits = mainTable.tableBits;
  const lengths = lengthTable.entries;
  const lengthBits = lengthTable.tableBits;
  const aligned = alignedTable?.entries;
  const alignedBits = alignedTable?.tableBits ?? 0;
  let window = bits.window | 0; // int32: a uint32 above 2^31 would leave V8's integer registers
  let available = bits.available;
  let padding = bits.paddingBits;
  let position = bits.position;
  let r0 = repeats[0]!;
  let r1 = repeats[1]!;
  let r2 = repeats[2]!;
  let out = start;
  let n = 0; // bits to take in the step being written out

  while (out < blockEnd) {
    // Main tree symbol. A code longer than the primary table is looked up in its sub-table with
    // the bits after the primary ones, still unconsumed (the window holds ≥ 16, the longest code),
    // and then taken in one step: the sub-table entry's length counts only those later bits.
    let entry = main[window >>> (32 - mainBits)]!;
    n = 0;
    if ((entry & LINK) !== 0) {
      n = mainBits;
      entry = main[(entry >>> 8) + ((window << mainBits) >>> (32 - (entry & 0x7f)))]!;
    }
    if ((entry & 0x7f) === 0) throw errorAt(bits, position, 'bits match no Huffman code');
    n += entry & 0x7f;
    window <<= n;
    available -= n;
    if (available < padding) throw bits.overrun();
    if (available < 16) {
      const word = position + 2 <= end ? data[position]! | (data[position + 1]! << 8) : ((padding += 16), 0);
      window |= word << (16 - available);
      available += 16;
      position += 2;
    }
    const symbol = entry >>> 8;
    if (symbol < NUM_CHARS) {
      output[out++] = symbol;
      continue;
    }

    const m = symbol - NUM_CHARS;
    let length = m & 7;
    if (length === NUM_PRIMARY_LENGTHS) {
      // Length tree symbol.
      entry = lengths[window >>> (32 - lengthBits)]!;
      n = 0;
      if ((entry & LINK) !== 0) {
        n = lengthBits;
        entry = lengths[(entry >>> 8) + ((window << lengthBits) >>> (32 - (entry & 0x7f)))]!;
      }
      if ((entry & 0x7f) === 0) throw errorAt(bits, position, 'bits match no Huffman code');
      n += entry & 0x7f;
      window <<= n;
      available -= n;
      if (available < padding) throw bits.overrun();
      if (available < 16) {
        const word = position + 2 <= end ? data[position]! | (data[position + 1]! << 8) : ((padding += 16), 0);
        window |= word << (16 - available);
        available += 16;
        position += 2;
      }
      length += entry >>> 8;
    }
    length += MIN_MATCH;

    const slot = m >> 3;
    let offset: number;
    if (slot === 0) {
      offset = r0;
    } else if (slot === 1) {
      offset = r1;
      r1 = r0;
      r0 = offset;
    } else if (slot === 2) {
      offset = r2;
      r2 = r0;
      r0 = offset;
    } else {
      const extra = EXTRA_BITS[slot]!;
      // Aligned offset blocks: the low 3 bits come from the aligned tree (LZX DELTA, "Aligned offset block").
      const alignedLow = aligned !== undefined && extra >= 3;
      let verbatimBits = alignedLow ? extra - 3 : extra;
      let verbatim = 0;
      // At most 17 bits: taken as a high part, then 16 (the window always holds ≥ 16).
      while (verbatimBits > 0) {
        n = verbatimBits > 16 ? verbatimBits - 16 : verbatimBits;
        verbatim = verbatim * (1 << n) + (window >>> (32 - n));
        verbatimBits -= n;
        window <<= n;
        available -= n;
        if (available < padding) throw bits.overrun();
        if (available < 16) {
          const word = position + 2 <= end ? data[position]! | (data[position + 1]! << 8) : ((padding += 16), 0);
          window |= word << (16 - available);
          available += 16;
          position += 2;
        }
      }
      let formatted = POSITION_BASE[slot]! + verbatim;
      if (alignedLow) {
        // The aligned tree's codes are at most alignedBits long: no sub-tables.
        entry = aligned[window >>> (32 - alignedBits)]!;
        n = entry & 0x7f;
        if (n === 0) throw errorAt(bits, position, 'bits match no Huffman code');
        window <<= n;
        available -= n;
        if (available < padding) throw bits.overrun();
        if (available < 16) {
          const word = position + 2 <= end ? data[position]! | (data[position + 1]! << 8) : ((padding += 16), 0);
          window |= word << (16 - available);
          available += 16;
          position += 2;
        }
        formatted = POSITION_BASE[slot]! + verbatim * 8 + (entry >>> 8);
      }
      offset = formatted - 2;
      r2 = r1;
      r1 = r0;
      r0 = offset;
    }
    if (offset > out || offset === 0) throw errorAt(bits, position, `match offset ${offset} reaches before the start of the chunk`);
    // A match may run past the block's nominal end (into the next block) but never past the chunk.
    if (length > outLength - out) throw errorAt(bits, position, 'match runs past the end of the chunk');
    let src = out - offset;
    const stop = out + length;
    if (offset >= length && length > 16) {
      output.copyWithin(out, src, src + length);
      out = stop;
    } else {
      while (out < stop) output[out++] = output[src++]!;
    }
  }

  bits.window = window;
  bits.available = available;
  bits.paddingBits = padding;
  bits.position = position;
  repeats[0] = r0;
  repeats[1] = r1;
  repeats[2] = r2;
  return out;
}

/** An error at the loop's byte position (a closure over the locals would take them out of registers). */
function errorAt(bits: BitReader, position: number, message: string): DecompressionError {
  bits.position = position;
  return bits.error(message);
}

function readU32(data: Uint8Array, p: number): number {
  return (data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24)) >>> 0;
}

/**
 * Undo the compressor's E8 (x86 CALL) translation (LZX DELTA / CAB LZX "Intel E8
 * preprocessing"): for each 0xE8 byte at position i < size - 10, the following 32-bit value was
 * turned from relative into absolute; turn it back when it is in [-i, 12,000,000). The four bytes
 * after an E8 are skipped whether or not they were translated.
 */
export function undoE8Translation(data: Uint8Array, size: number): void {
  if (size <= 10) return;
  const limit = size - 10;
  let i = data.indexOf(0xe8, 0);
  while (i !== -1 && i < limit) {
    const abs = data[i + 1]! | (data[i + 2]! << 8) | (data[i + 3]! << 16) | (data[i + 4]! << 24);
    if (abs >= -i && abs < E8_TRANSLATION_SIZE) {
      const rel = abs >= 0 ? abs - i : abs + E8_TRANSLATION_SIZE;
      data[i + 1] = rel & 0xff;
      data[i + 2] = (rel >>> 8) & 0xff;
      data[i + 3] = (rel >>> 16) & 0xff;
      data[i + 4] = (rel >>> 24) & 0xff;
    }
    i = data.indexOf(0xe8, i + 5);
  }
}

/** Convenience for tests and fuzzing: decompress one chunk into a new buffer. */
export function decompressLzx(input: Uint8Array, outLength: number, chunkSizeBytes = 32768, chunkIndex = 0): Uint8Array {
  const output = new Uint8Array(outLength);
  new LzxDecoder(chunkSizeBytes).decompress(input, 0, input.length, output, outLength, chunkIndex);
  return output;
}
