// A FileLib blob as a ContentSource whose SHA-256 is checked while it streams.
//
// SHA-256 is verified while streaming. The content library records each file's
// SHA-256 in its DataLib INI (Microsoft's "The content library in Configuration Manager" doc);
// a writer pulls the bytes once, in 1 MiB reads, and the same pass feeds the hash, so checking
// costs no second read of a multi-GiB boot image. The verdict can only come after the last byte:
// the final chunk is yielded first and the mismatch thrown when the consumer asks for more, so a
// consumer must treat an error at the end of the iteration as a failure of everything it wrote.

import { CaptureMediaError, IntegrityError } from '../errors.js';
import type { ContentSource } from '../io/content.js';
import { streamFile } from '../io/pooled-reads.js';
import { createStreamHash } from '../io/stream-hash.js';
import { libraryIoError } from './library-error.js';

export interface BlobLabel {
  readonly packageId: string;
  /** The file's path inside the package, as the user knows it (e.g. `boot.PS100004.wim`). */
  readonly file: string;
}

/** Stream `blobPath` (sizeBytes long), failing with ContentHashMismatch if its SHA-256 is not `sha256`. */
export function hashCheckedSource(blobPath: string, sizeBytes: number, sha256: string, label: BlobLabel): ContentSource {
  const expected = sha256.toUpperCase();
  const what = `The FileLib blob of file ${label.file} in package ${label.packageId} (${blobPath})`;
  const mismatch = (expectedText: string, actualText: string, detail: string): IntegrityError =>
    new IntegrityError('ContentHashMismatch', expectedText, actualText, `${what} ${detail}; the content library is damaged — redistribute the package to this distribution point`, {
      target: blobPath,
    });

  return {
    sizeBytes,
    checkedSha256: expected,
    async *stream(signal?: AbortSignal): AsyncIterable<Uint8Array> {
      // Hashed on the worker thread for a large blob (io/stream-hash.ts), in the slab the read
      // landed in, while the next reads are in flight and this chunk is written.
      const hash = createStreamHash('sha256', sizeBytes);
      const chunks = streamFile(blobPath, sizeBytes, {
        signal,
        refuse: (kind) => new CaptureMediaError('ContentLibraryInvalid', `${blobPath} is ${kind}, not a file: a content library holds only regular files.`, { target: blobPath }),
        shortFile: (position) => mismatch(`${sizeBytes} bytes`, `${position} bytes`, 'is shorter than its DataLib entry says'),
        ioError: (error) => libraryIoError(error, blobPath),
        // A blob that grew (or was replaced) is not the one the DataLib entry describes.
        longerFile: (size) => mismatch(`${sizeBytes} bytes`, `${size} bytes`, 'is longer than its DataLib entry says'),
      });
      for await (const chunk of chunks) {
        await hash.update(chunk);
        yield chunk;
      }
      const actual = (await hash.digest()).toUpperCase();
      if (actual !== expected) throw mismatch(expected, actual, 'does not have the SHA-256 recorded in its DataLib entry');
    },
  };
}
