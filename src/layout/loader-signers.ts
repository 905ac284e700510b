// The signers of the UEFI loader a medium carries, learnt from the loader's bytes as the writer
// streams them onto the medium (no second read of the boot image): the result object then says
// which boot manager and which signers the written media really has.

import { readAuthenticode, MAX_PROGRAM_BYTES } from '../authenticode/reader.js';
import { summariseSigners, type SignerSummary } from '../authenticode/signers.js';
import type { ContentSource } from '../io/content.js';

export interface TappedLoader {
  readonly content: ContentSource;
  /** The summary of the bytes last streamed in full; undefined until the loader has been written once. */
  summary(): SignerSummary | undefined;
}

export function tapLoader(source: ContentSource, mediaName: string): TappedLoader {
  let summary: SignerSummary | undefined;
  const tapped: ContentSource = {
    sizeBytes: source.sizeBytes,
    ...(source.checkedSha256 === undefined ? {} : { checkedSha256: source.checkedSha256 }),
    ...(source.prefetch === undefined ? {} : { prefetch: () => source.prefetch?.() }),
    async *stream(signal?: AbortSignal) {
      const keep = source.sizeBytes <= MAX_PROGRAM_BYTES ? Buffer.alloc(source.sizeBytes) : undefined;
      let at = 0;
      for await (const chunk of source.stream(signal)) {
        if (keep && at + chunk.length <= keep.length) keep.set(chunk, at); // copied now: the source may reuse its buffer
        at += chunk.length;
        yield chunk;
      }
      summary = summariseSigners(readAuthenticode(keep && at === keep.length ? keep : new Uint8Array(0)), mediaName);
    },
  };
  return { content: tapped, summary: () => summary };
}
