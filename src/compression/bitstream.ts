// The bit reader shared by the XPRESS (MS-XCA) and LZX decoders.
//
// Both formats store their bit stream as 16-bit little-endian words whose bits are consumed
// most-significant first (MS-XCA "LZ77+Huffman Decompression Algorithm Details"; LZX DELTA
// spec, "Bitstream"). The reader follows the MS-XCA pseudo-code exactly: it always holds a 32-bit
// window (`NextBits`) and loads the next 16-bit word as soon as fewer than 16 bits remain. That
// eager model matters for XPRESS, whose extra length bytes are read from the byte position right
// after the last word loaded ("CurrentPosition"); LZX only depends on the number of bits
// consumed, which the reader can always compute.
//
// Past the end of the input the window is topped up with zero words so that a decoder may *peek*
// a full table index near the end; *consuming* any of those padding bits throws a
// DecompressionError. Nothing is ever decoded from bytes that are not in the input.

import { DecompressionError } from '../errors.js';

export class BitReader {
  // The state is public for one reason: LZX's symbol loop (decodeSymbols in lzx.ts) lifts it into
  // locals for a block and writes it back, which V8 keeps in registers. Everything else goes
  // through the methods.
  /** The 32-bit window: the next bit to consume is bit 31. */
  window = 0;
  /** Valid bits in the window (including zero padding past the end), ≥ 16 between calls. */
  available = 0;
  /** Bits of zero padding at the bottom of the window (loaded past the end of input). */
  paddingBits = 0;
  /** Byte position of the next 16-bit word to load (MS-XCA "CurrentPosition"). */
  position: number;

  constructor(
    readonly data: Uint8Array,
    private readonly start: number,
    readonly end: number,
    readonly codec: string,
    readonly chunkIndex: number,
  ) {
    this.position = start;
    this.reset(start);
  }

  /** (Re)start the bit stream at a byte position: load two words as MS-XCA does. */
  reset(position: number): void {
    this.position = position;
    this.window = 0;
    this.available = 0;
    this.paddingBits = 0;
    this.loadWord();
    this.loadWord();
  }

  private loadWord(): void {
    const p = this.position;
    let word = 0;
    if (p + 2 <= this.end) {
      word = this.data[p]! | (this.data[p + 1]! << 8);
    } else {
      // Lookahead only; see consume() for the check that these bits are never used.
      this.paddingBits += 16;
    }
    this.window = (this.window | (word << (16 - this.available))) >>> 0;
    this.available += 16;
    this.position = p + 2;
  }

  /** The next `n` bits (1 ≤ n ≤ 16) without consuming them. */
  peek(n: number): number {
    return this.window >>> (32 - n);
  }

  /** Drop `n` bits (0 ≤ n ≤ 16) and refill to at least 16. */
  consume(n: number): void {
    this.window = (this.window << n) >>> 0;
    this.available -= n;
    if (this.available < this.paddingBits) throw this.overrun();
    if (this.available < 16) this.loadWord();
  }

  /** Read `n` bits (0 ≤ n ≤ 16) as an unsigned integer. */
  read(n: number): number {
    if (n === 0) return 0;
    const value = this.window >>> (32 - n);
    this.consume(n);
    return value;
  }

  /** Read up to 32 bits, high part first (LZX offsets can need 17 extra bits). */
  readLong(n: number): number {
    if (n <= 16) return this.read(n);
    const high = this.read(n - 16);
    return high * 65536 + this.read(16);
  }

  /** Bits consumed since `start`. */
  get bitsConsumed(): number {
    return (this.position - this.start) * 8 - this.available;
  }

  /**
   * LZX uncompressed blocks (LZX DELTA, "Uncompressed block"): skip 1–16 bits so the stream sits on a 16-bit
   * boundary (a stream that is already aligned skips a whole word), and return the byte position
   * where raw bytes start. The caller re-starts the bit stream with reset() after the raw bytes.
   */
  alignForRawBytes(): number {
    const consumed = this.bitsConsumed;
    const aligned = (Math.floor(consumed / 16) + 1) * 16;
    const byte = this.start + aligned / 8;
    if (byte > this.end) throw this.overrun(byte);
    return byte;
  }

  /** One byte at CurrentPosition (MS-XCA extra match length bytes). */
  readByte(): number {
    const p = this.position;
    if (p >= this.end) throw this.overrun(p);
    this.position = p + 1;
    return this.data[p]!;
  }

  /** A 16-bit little-endian value at CurrentPosition. */
  readUint16(): number {
    const p = this.position;
    if (p + 2 > this.end) throw this.overrun(p);
    this.position = p + 2;
    return this.data[p]! | (this.data[p + 1]! << 8);
  }

  /** A 32-bit little-endian value at CurrentPosition. */
  readUint32(): number {
    const p = this.position;
    if (p + 4 > this.end) throw this.overrun(p);
    this.position = p + 4;
    return (this.data[p]! | (this.data[p + 1]! << 8) | (this.data[p + 2]! << 16) | (this.data[p + 3]! << 24)) >>> 0;
  }

  /** True when every bit and byte of the input has been consumed or lies in the lookahead. */
  get atEnd(): boolean {
    return this.position >= this.end;
  }

  error(message: string, offset = this.position): DecompressionError {
    return new DecompressionError(this.codec, this.chunkIndex, offset - this.start, message);
  }

  overrun(offset = this.end): DecompressionError {
    return this.error('compressed data ends too early', offset);
  }
}
