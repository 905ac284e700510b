// The INF reader's public surface: bytes in, a typed result out, never a throw on content.
// Hand-written because no maintained npm library reads Windows driver INFs.

import { parseInf, type InfDocument } from './document.js';
import { describeInf, type InfDriverInfo } from './driver-info.js';
import type { TargetOs } from './target-os.js';

export type { InfDocument, InfLine, InfSection } from './document.js';
export type { InfDriverInfo, InfModel } from './driver-info.js';
export type { InfArchitecture, TargetOs } from './target-os.js';
export { KNOWN_CLASS_GUIDS } from './driver-info.js';
export { parseInf } from './document.js';
export { describeInf } from './driver-info.js';
export { selectModelsSection, parseDecoration } from './target-os.js';

/** Largest INF read: the biggest real driver INFs (display drivers) are a few MiB. */
export const INF_MAX_BYTES = 32 * 1024 * 1024;

export type InfReadResult =
  | { readonly kind: 'read'; readonly document: InfDocument; readonly driver: InfDriverInfo; readonly problems: readonly string[] }
  | { readonly kind: 'rejected'; readonly reason: string };

/** Read one INF for a target image. Too large or not an INF at all: 'rejected', with why. */
export function readInf(bytes: Uint8Array, target: TargetOs): InfReadResult {
  if (bytes.length > INF_MAX_BYTES) return { kind: 'rejected', reason: `${bytes.length} bytes is larger than the ${INF_MAX_BYTES} an INF may have` };
  const document = parseInf(bytes);
  if (!document.section('Version')) return { kind: 'rejected', reason: 'no [Version] section: not a driver INF' };
  const driver = describeInf(document, target);
  const problems = [...document.problems, ...driver.missingSections.map((s) => `[Manufacturer] names the models section [${s}], which the INF does not have`)];
  return { kind: 'read', document, driver, problems };
}
