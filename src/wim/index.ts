// The WIM reader's public surface. Everything else in src/wim is internal.

import { CaptureMediaError } from '../errors.js';
import { openWimBytes } from './reader.js';

export type { WimArchitecture, WimImageInfo } from './xml-info.js';
export type { WimEntry } from './metadata.js';
export type { WimFile, WimImage } from './reader.js';
export type { WimCompression } from './header.js';
export { openWim, openWimBytes } from './reader.js';

export interface FuzzOutcome {
  /** 'ok' when the input opened and read fully, otherwise the CaptureMediaError id. */
  outcome: string;
  images: number;
  files: number;
  bytes: number;
}

/**
 * A fuzz entry point: open a WIM held in memory, open every image and read every file. Returns
 * how far it got; a typed CaptureMediaError counts as a clean rejection; anything else (a
 * TypeError, RangeError, …) is a bug and is rethrown. Reads are bounded by the input's size.
 */
export async function fuzzWimBytes(bytes: Uint8Array): Promise<FuzzOutcome> {
  const result: FuzzOutcome = { outcome: 'ok', images: 0, files: 0, bytes: 0 };
  try {
    const wim = await openWimBytes(bytes, '<fuzz>');
    try {
      for (const info of wim.images) {
        const image = await wim.openImage(info.index);
        result.images++;
        for (const entry of image.walk()) {
          if (entry.isDirectory) continue;
          for await (const chunk of image.contentSource(entry).stream()) result.bytes += chunk.length;
          result.files++;
        }
      }
    } finally {
      await wim.close();
    }
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError) result.outcome = error.id;
    else throw error;
  }
  return result;
}

// A WIM inside another container (an ISO's file extent): any positional byte source.
export { openWimSource } from './reader.js';
export type { ByteSource } from './resource-reader.js';
