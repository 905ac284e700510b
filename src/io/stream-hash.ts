// Incremental hashes for the bytes a job streams, computed on a worker thread when the stream is
// large (docs/benchmarks.md: one pass, and the pass should run at the speed of the disk).
//
// Why a thread: SHA-256 of a 0.5-4 GiB boot image costs as much CPU as reading and writing it.
// On the main thread it took turns with everything else (profile of a 0.5 GiB ISO build: 0.6 s
// of hashing in 3.2 s). On one shared worker the digest of chunk n runs while chunk n+1 is read
// and chunk n-1 written. Small streams (the ~2,000 files of SMS\bin) stay on the main thread:
// for them the messages would cost more than the hashing.
//
// A chunk that lies in a slab of the job's pool (io/slab-pool.ts: what the large streams read
// into) goes to the worker as it is: the slab is retained until the worker has hashed it, so the
// bytes are neither copied nor allowed to change underneath. Any other chunk is copied into one of
// the worker's own SharedArrayBuffer slabs (a memcpy is ~10x cheaper than hashing the same bytes),
// which the worker hashes in place and hands back. Either way at most MAX_BYTES_IN_FLIGHT waits for
// the worker, which bounds memory: fresh SharedArrayBuffers per chunk were not reclaimed by V8 until
// late, and a 0.5 GiB build peaked at 600 MB of RSS that way. The caller keeps its chunk: nothing
// of it is retained by us after update() resolves, except a pooled slab's reference.

import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { CaptureMediaError } from '../errors.js';
import { slabOf, type Slab } from './slab-pool.js';

export type HashAlgorithm = 'sha256' | 'sha1';

export interface StreamHash {
  /** Feed the next chunk; resolves once it is copied or its pooled slab retained (at once, unless the worker is far behind). */
  update(chunk: Uint8Array): Promise<void>;
  /** Lowercase hex digest of everything fed in. */
  digest(): Promise<string>;
}

/** Streams at least this long are hashed on the worker. */
export const OFF_THREAD_MIN_BYTES = 4 * 1024 * 1024;
const SLAB_BYTES = 1024 * 1024;
// 4 MiB in flight is enough to keep the worker busy (measured no slower than 16 MiB), and each
// slab counts against the 150 MB peak-RSS goal (docs/benchmarks.md).
const SLAB_COUNT = 4;
/** What may wait for the worker at once: the whole slab pool. */
export const MAX_BYTES_IN_FLIGHT = SLAB_BYTES * SLAB_COUNT;

/** A hash for a stream of `expectedBytes`: on the worker thread when that is large, inline otherwise. */
export function createStreamHash(algorithm: HashAlgorithm, expectedBytes: number): StreamHash {
  if (expectedBytes < OFF_THREAD_MIN_BYTES) return inlineHash(createHash(algorithm));
  return HashWorker.shared().open(algorithm);
}

function inlineHash(hash: Hash): StreamHash {
  return {
    async update(chunk) {
      hash.update(chunk);
    },
    async digest() {
      return hash.digest('hex');
    },
  };
}

// The worker's code, evaluated as a CommonJS script (eval: true) so that it runs the same under
// tsx, from dist/, and from any install location, without resolving a second entry file.
// Messages in:  ['u', id, algorithm, view, token]  |  ['d', id, algorithm]
// Messages out: ['a', token]  (the view is hashed: its slab is free again)  |  ['h', id, hex]  (a digest)
// A token ≥ 0 is the index of one of the worker's own slabs; < 0 names a lent pool slab.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const open = new Map();
parentPort.on('message', (m) => {
  let hash = open.get(m[1]);
  if (hash === undefined) { hash = createHash(m[2]); open.set(m[1], hash); }
  if (m[0] === 'u') { hash.update(m[3]); parentPort.postMessage(['a', m[4]]); return; }
  open.delete(m[1]);
  parentPort.postMessage(['h', m[1], hash.digest('hex')]);
});
`;

type WorkerReply = readonly ['a', number] | readonly ['h', number, string];

class HashWorker {
  static #instance: HashWorker | undefined;

  readonly #worker: Worker;
  #nextId = 1;
  /** Slab memory, allocated on first use; free slabs by index. */
  readonly #slabs: Uint8Array[] = [];
  readonly #freeSlabs: number[] = [];
  /** Pool slabs the worker is hashing in place, by (negative) token. */
  readonly #lent = new Map<number, Slab>();
  #nextLendToken = -1;
  #failure: Error | undefined;
  /**
   * Messages the worker still owes an answer for (slabs out, digests asked). The worker keeps the
   * process alive only while this is above zero: a stream abandoned halfway (a write failed, the
   * job was cancelled) never asks for its digest, and must not keep the process from exiting.
   * (Its Hash object stays in the worker's map: a few hundred bytes, once per failed job.)
   */
  #owed = 0;
  readonly #digests = new Map<number, { resolve: (hex: string) => void; reject: (error: Error) => void }>();
  #drained: (() => void)[] = [];

  static shared(): HashWorker {
    HashWorker.#instance ??= new HashWorker();
    return HashWorker.#instance;
  }

  private constructor() {
    // No inherited execArgv: the worker needs no loaders, and the parent's heap flags are for the parent.
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 1 } });
    this.#worker.on('message', (reply: WorkerReply) => this.#onReply(reply));
    this.#worker.on('error', (error: Error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the hash worker exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.#worker.unref();
  }

  open(algorithm: HashAlgorithm): StreamHash {
    const id = this.#nextId++;
    let closed = false;
    return {
      update: async (chunk) => {
        // Messages keep their order, so the pieces of one stream are hashed in order.
        const pooled = slabOf(chunk);
        if (pooled !== undefined) {
          await this.#lend(pooled);
          const token = this.#nextLendToken--;
          this.#lent.set(token, pooled);
          this.#post(['u', id, algorithm, chunk, token]);
          return;
        }
        for (let at = 0; at < chunk.length; at += SLAB_BYTES) {
          const piece = chunk.subarray(at, Math.min(chunk.length, at + SLAB_BYTES));
          const index = await this.#takeSlab();
          const slab = this.#slabs[index]!.subarray(0, piece.length);
          slab.set(piece);
          this.#post(['u', id, algorithm, slab, index]);
        }
      },
      digest: () => {
        if (closed) return Promise.reject(new CaptureMediaError('InternalError', 'digest() called twice on one stream hash'));
        closed = true;
        return new Promise<string>((resolve, reject) => {
          if (this.#failure) {
            reject(this.#failureError());
            return;
          }
          this.#digests.set(id, { resolve, reject });
          this.#post(['d', id, algorithm]);
        });
      },
    };
  }

  #post(message: readonly unknown[]): void {
    if (this.#owed++ === 0) this.#worker.ref();
    this.#worker.postMessage(message);
  }

  #answered(): void {
    if (--this.#owed === 0) this.#worker.unref();
  }

  /** Retain a pool slab for the worker, once fewer than SLAB_COUNT are out (the same bound as copies). */
  async #lend(slab: Slab): Promise<void> {
    for (;;) {
      this.#throwIfFailed();
      if (this.#lent.size < SLAB_COUNT) {
        slab.retain();
        return;
      }
      await new Promise<void>((resolve) => this.#drained.push(resolve));
    }
  }

  async #takeSlab(): Promise<number> {
    for (;;) {
      this.#throwIfFailed();
      const free = this.#freeSlabs.pop();
      if (free !== undefined) return free;
      if (this.#slabs.length < SLAB_COUNT) {
        this.#slabs.push(new Uint8Array(new SharedArrayBuffer(SLAB_BYTES)));
        return this.#slabs.length - 1;
      }
      await new Promise<void>((resolve) => this.#drained.push(resolve));
    }
  }

  #onReply(reply: WorkerReply): void {
    this.#answered();
    if (reply[0] === 'a') {
      const lent = this.#lent.get(reply[1]);
      if (lent !== undefined) {
        this.#lent.delete(reply[1]);
        lent.release();
      } else this.#freeSlabs.push(reply[1]);
      this.#wakeWriters();
      return;
    }
    const waiter = this.#digests.get(reply[1]);
    this.#digests.delete(reply[1]);
    waiter?.resolve(reply[2]);
  }

  #wakeWriters(): void {
    const waiting = this.#drained;
    this.#drained = [];
    for (const wake of waiting) wake();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#digests.values()) waiter.reject(this.#failureError());
    this.#digests.clear();
    // The worker is gone: nothing will hash what it was lent, so its slabs go back to the pool.
    for (const slab of this.#lent.values()) slab.release();
    this.#lent.clear();
    this.#wakeWriters();
    // A later job in this process starts a fresh worker.
    if (HashWorker.#instance === this) HashWorker.#instance = undefined;
  }

  #failureError(): CaptureMediaError {
    return new CaptureMediaError('InternalError', `Hashing failed: ${this.#failure?.message ?? 'unknown error'}`, { cause: this.#failure });
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failureError();
  }
}
