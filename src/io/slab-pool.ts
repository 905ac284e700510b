// A pool of reused 1 MiB slabs for every large stream of a job (docs/benchmarks.md, "Where the
// time goes"): reads land in a slab, the hash worker hashes the slab where it lies, and the writer
// writes it, so no byte of a boot image is copied or freshly allocated on its way through.
//
// Why one pool and not a buffer per read: a fresh 1 MiB Buffer per read cost ~0.4 s per GiB in
// allocation and garbage collection, and each copy into the hash worker's memory another ~0.5 s.
//
// The slabs are carved out of one shared WebAssembly memory: it is a SharedArrayBuffer (so the
// hash worker sees a slab without a copy) and page-aligned (so an O_DIRECT read can land in it,
// io/direct-reader.ts). A slab is reference-counted: its stream holds it while the consumer has
// the chunk, the hash worker while it hashes it; it returns to the pool when both let go. The pool
// never makes a stream wait: when every slab is out (many streams at once), take() gives a private
// slab (aligned and shared too) that is simply dropped when released, so memory stays bounded by
// the pool plus what the streams themselves hold in flight.

/** One read, one hash message, one write: large enough to keep syscalls few, small enough to pipeline. */
export const SLAB_BYTES = 1024 * 1024;
/** 16 MiB: a stream keeps ~4 slabs in flight; room for a few streams (verify of several drives) at once. */
const POOL_SLABS = 16;
const WASM_PAGE_BYTES = 65536;

export class Slab {
  #refs = 1;

  constructor(
    /** The slab's memory: SLAB_BYTES long, page-aligned when pooled. */
    readonly bytes: Uint8Array,
    private readonly onFree: ((slab: Slab) => void) | undefined,
  ) {}

  /** Another holder (the hash worker, a write in flight) keeps the slab until its release(). */
  retain(): void {
    if (this.#refs === 0) throw new Error('retain() of a released slab');
    this.#refs++;
  }

  release(): void {
    if (this.#refs === 0) throw new Error('release() of a released slab');
    if (--this.#refs === 0) this.onFree?.(this);
  }

  /** The pool hands a free slab out again, with one reference (the taker's). */
  revive(): void {
    if (this.#refs !== 0) throw new Error('revive() of a slab still held');
    this.#refs = 1;
  }
}

class SlabPool {
  #memory: SharedArrayBuffer | undefined;
  #created = 0;
  readonly #free: Slab[] = [];
  /** Slab by its offset in the pool's memory (offset / SLAB_BYTES). */
  readonly #byIndex: Slab[] = [];

  /** A slab with one reference (the caller's); pooled when one is free, private otherwise. */
  take(): Slab {
    const free = this.#free.pop();
    if (free !== undefined) {
      free.revive();
      return free;
    }
    if (this.#created < POOL_SLABS) {
      this.#memory ??= sharedAlignedMemory(POOL_SLABS * SLAB_BYTES);
      const index = this.#created++;
      const slab = new Slab(new Uint8Array(this.#memory, index * SLAB_BYTES, SLAB_BYTES), (s) => this.#free.push(s));
      this.#byIndex[index] = slab;
      return slab;
    }
    // Aligned too: an O_DIRECT read (verify of many drives at once) may land in it.
    return new Slab(new Uint8Array(sharedAlignedMemory(SLAB_BYTES)), undefined);
  }

  /** The pooled slab a view lies in, if any (views of private slabs are not found: they are copied). */
  slabOf(view: Uint8Array): Slab | undefined {
    if (this.#memory === undefined || view.buffer !== this.#memory) return undefined;
    const index = Math.floor(view.byteOffset / SLAB_BYTES);
    // A view that straddles two slabs is not one slab's.
    if (view.byteOffset + view.length > (index + 1) * SLAB_BYTES) return undefined;
    return this.#byIndex[index];
  }

  /** Slabs currently in the pool's free list (tests: every stream gives its slabs back). */
  get freeCount(): number {
    return this.#free.length;
  }

  get createdCount(): number {
    return this.#created;
  }
}

/** Page-aligned shared memory: a shared WebAssembly memory's buffer is a SharedArrayBuffer that V8 maps at a page boundary. */
function sharedAlignedMemory(bytes: number): SharedArrayBuffer {
  const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as unknown as SharedArrayBuffer;
}

const pool = new SlabPool();

/** A 1 MiB slab for one chunk of a stream; release() it when done with. */
export function takeSlab(): Slab {
  return pool.take();
}

/** The pooled slab holding `view`, so a holder can retain it instead of copying the bytes. */
export function slabOf(view: Uint8Array): Slab | undefined {
  return pool.slabOf(view);
}

/** Pool counters, for tests that check every slab comes back. */
export function slabPoolStats(): { created: number; free: number } {
  return { created: pool.createdCount, free: pool.freeCount };
}
