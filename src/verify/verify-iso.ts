// Verify an ISO we wrote: parse it with our reader (Joliet tree, what Windows reads) and compare
// every file with the manifest on the disc.

import { readIso } from '../iso/index.js';
import { verifyAgainstManifest, type VerifyOptions, type VerifyOutcome } from './verify-manifest.js';

export async function verifyIso(path: string, options: VerifyOptions & { where?: string } = {}): Promise<VerifyOutcome> {
  const image = await readIso(path);
  return verifyAgainstManifest(
    { where: options.where ?? path, files: image.files, openFile: (file, signal) => image.openFile(file, signal) },
    options,
  );
}
