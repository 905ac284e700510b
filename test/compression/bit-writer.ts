// Test helper: writes bits most-significant first into 16-bit little-endian words, the layout
// MS-XCA and LZX streams use, so tests can hand-assemble compressed data from the specs.

export class BitWriter {
  private readonly bytes: number[] = [];
  private word = 0;
  private used = 0;

  bits(value: number, count: number): this {
    for (let i = count - 1; i >= 0; i--) {
      this.word = (this.word << 1) | ((value >>> i) & 1);
      if (++this.used === 16) this.flushWord();
    }
    return this;
  }

  private flushWord(): void {
    this.bytes.push(this.word & 0xff, (this.word >>> 8) & 0xff);
    this.word = 0;
    this.used = 0;
  }

  /** Pad the current word with zeros (if partly used) and return everything written. */
  finish(): number[] {
    if (this.used > 0) this.bits(0, 16 - this.used);
    return this.bytes.splice(0);
  }
}

/** A chunk of `n` zero bytes: literal 0, then one match (offset 1) with an extended length. */
export function xpressZeros(n: number): Uint8Array {
  const table = new Uint8Array(256);
  table[0] = 0x01; // symbol 0 (literal 0x00): length 1
  table[271 >> 1] = 0x10; // symbol 271 = 256 + (0 offset bits << 4) + 15: length 1
  const bits = new BitWriter().bits(0, 1).bits(1, 1).finish(); // codes: 0 -> '0', 271 -> '1'
  const length = n - 1 - 3;
  return Uint8Array.from([...table, ...bits, 0, 0, 255, length & 0xff, length >> 8]);
}

