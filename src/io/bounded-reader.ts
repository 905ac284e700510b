// One place for the bounds rule every on-disk format reader (iso/, udf/) relies on: a
// structure's offset and length come from the medium itself, so a damaged or hostile image
// must get a format error naming the structure, never a short buffer or a read past its end.

import { InvalidFormatError } from '../errors.js';
import type { PositionalReadHandle } from './positional.js';

/** Positional reads that never go past the end of the image and never come back short. */
export class BoundedReader {
  constructor(
    private readonly handle: Pick<PositionalReadHandle, 'read'>,
    readonly size: number,
    readonly name: string,
  ) {}

  async read(offset: number, length: number, structure: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new InvalidFormatError('MediaInvalid', structure, offset, `${length} bytes would read past the end of ${this.name} (${this.size} bytes)`);
    }
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) throw new InvalidFormatError('MediaInvalid', structure, offset + done, `${this.name} ended early`);
      done += bytesRead;
    }
    return buffer;
  }
}
