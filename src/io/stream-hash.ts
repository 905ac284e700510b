// Incremental hashes for the bytes a job streams, computed on a worker thread when the stream is
// large (docs/benchmarks.md: one pass, and the pass should run at the speed of the disk).
//
// Why a thread: SHA-256 of a 0.5-4 GiB boot image costs as much CPU as reading and writing it.
// On the main thread it took turns with everything else (profile of a 0.5 GiB ISO build: 0.6 s
// of hashing in 3.2 s). On one shared worker the digest of chunk n runs while chunk n+1 is read
// and chunk n-1 written. Small streams (the ~2,000 files of SMS\bin) stay on the main thread:
// for them the messages would cost more than the hashing.
//
// Chunks reach the worker through a fixed pool of SharedArrayBuffer slabs: each chunk is copied
// into a free slab (a memcpy is ~10x cheaper than hashing the same bytes), the worker hashes the
// slab in place and hands it back. The pool bounds memory (MAX_BYTES_IN_FLIGHT) and keeps it
// from growing: fresh SharedArrayBuffers per chunk were not reclaimed by V8 until late, and a
// 0.5 GiB build peaked at 600 MB of RSS that way. The caller keeps its chunk: nothing of it is
// retained after update() resolves.

import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { CaptureMediaError } from '../errors.js';

export type HashAlgorithm = 'sha256' | 'sha1';

export interface StreamHash {
  /** Feed the next chunk; resolves once it is copied (at once, unless the worker is far behind). */
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
// Messages in:  ['u', id, algorithm, slab view, slab index]  |  ['d', id, algorithm]
// Messages out: ['a', slab index]  (the slab is free again)  |  ['h', id, hex]  (a digest)
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
      this.#freeSlabs.push(reply[1]);
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
