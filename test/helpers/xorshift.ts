// One seeded pseudo-random generator for test data and fuzz mutations (Marsaglia xorshift32):
// deterministic, so a failing input or fixture can be rebuilt from its seed.

/** Returns successive 32-bit values; a zero seed is replaced by 1 (xorshift's only fixed point). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** `length` bytes: the low byte of each successive value. */
export function xorshiftBytes(length: number, seed: number): Uint8Array {
  const next = xorshift32(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = next() & 0xff;
  return out;
}
