// The few methods a reader of on-disk structures needs from an open medium. fs FileHandle has
// them; so does the O_DIRECT reader (io/direct-reader.ts) through offsetReaderHandle, which
// is how read-back verification bypasses the page cache.

export interface PositionalReadHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ isFile(): boolean; size: number }>;
  close(): Promise<void>;
}

/** A positional reader that returns fresh bytes (as the O_DIRECT reader does). */
export interface OffsetReader {
  readonly sizeBytes: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** An OffsetReader that also streams a range with its next reads in flight (the O_DIRECT reader). */
export interface StreamingReader extends OffsetReader {
  /** Bytes [offset, offset+length) in order; a chunk is the consumer's until it asks for the next one. */
  stream(offset: number, length: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

export function offsetReaderHandle(reader: OffsetReader, isFile = false): PositionalReadHandle {
  return {
    async read(buffer, offset, length, position) {
      const bytes = await reader.read(position, length);
      buffer.set(bytes.subarray(0, length), offset);
      return { bytesRead: Math.min(bytes.length, length) };
    },
    async stat() {
      return { isFile: () => isFile, size: reader.sizeBytes };
    },
    close: () => reader.close(),
  };
}
