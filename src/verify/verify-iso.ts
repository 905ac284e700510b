// Verify an ISO we wrote: parse it with our reader (Joliet tree, what Windows reads) and compare
// every file with the manifest on the disc. The image is read past the page cache (O_DIRECT), so
// what is compared is what reached the disk, not what we just wrote into memory.

import { openDirectReader } from '../io/direct-reader.js';
import { readIso } from '../iso/index.js';
import { verifyAgainstManifest, type VerifyOptions, type VerifyOutcome } from './verify-manifest.js';

export async function verifyIso(path: string, options: VerifyOptions & { where?: string } = {}): Promise<VerifyOutcome> {
  const reader = await openDirectReader(path, options.direct === false ? { direct: false } : {});
  try {
    const image = await readIso(path, { reader });
    const outcome = await verifyAgainstManifest({ where: options.where ?? path, files: image.files, openFile: (file, signal) => image.openFile(file, signal) }, options);
    return { ...outcome, readsBypassedCache: reader.direct, ...(reader.fallbackReason === undefined ? {} : { cachedReadsReason: reader.fallbackReason }) };
  } finally {
    await reader.close();
  }
}
