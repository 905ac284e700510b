// One stream, several targets ("write the same media to several USB drives in
// parallel"): every write goes to every live sink concurrently; a sink that fails is dropped with
// its error recorded, and the others go on. Only when every sink has failed does the write fail.

import { CaptureMediaError } from '../errors.js';
import type { ByteSink } from './sink.js';

export interface TeeTarget {
  readonly name: string;
  readonly sink: ByteSink & { skip?(count: number): Promise<void>; writeAt?(offset: number, bytes: Uint8Array): Promise<void> };
}

export class TeeSink implements ByteSink {
  #position = 0;
  readonly failures = new Map<string, unknown>();
  #live: TeeTarget[];

  constructor(targets: readonly TeeTarget[]) {
    this.#live = [...targets];
  }

  get position(): number {
    return this.#position;
  }

  get live(): readonly TeeTarget[] {
    return this.#live;
  }

  async #all(action: (t: TeeTarget) => Promise<void>): Promise<void> {
    const outcomes = await Promise.allSettled(this.#live.map(action));
    const survivors: TeeTarget[] = [];
    outcomes.forEach((o, i) => {
      const t = this.#live[i]!;
      if (o.status === 'fulfilled') survivors.push(t);
      else this.failures.set(t.name, o.reason);
    });
    this.#live = survivors;
    if (survivors.length === 0) {
      const first = [...this.failures.values()][0];
      if (first instanceof CaptureMediaError) throw first;
      throw new CaptureMediaError('WriteFailed', `Every target failed: ${[...this.failures.keys()].join(', ')}`, { cause: first });
    }
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.#all((t) => t.sink.write(chunk));
    this.#position += chunk.length;
  }

  async skip(count: number): Promise<void> {
    await this.#all(async (t) => {
      if (t.sink.skip) await t.sink.skip(count);
      else throw new CaptureMediaError('InternalError', `${t.name} cannot skip`);
    });
    this.#position += count;
  }

  async writeAt(offset: number, bytes: Uint8Array): Promise<void> {
    await this.#all(async (t) => {
      if (t.sink.writeAt) await t.sink.writeAt(offset, bytes);
      else throw new CaptureMediaError('InternalError', `${t.name} cannot write behind its position`);
    });
  }
}
