// A disc set verified together must be one set: every disc names the same set id and disc count
// in its manifest, and no disc number appears twice or beyond the count. Each disc verifying on its
// own proves nothing about the mix (a new disc 1 beside an old disc 2 both verify).

import { CaptureMediaError } from '../errors.js';
import type { Manifest } from '../layout/manifest.js';

export function checkDiscSet(discs: readonly { path: string; manifest: Manifest }[]): void {
  // Single-disc media stand alone; the same path given twice is one disc.
  const sets = discs.filter((d, i) => d.manifest.discCount > 1 && discs.findIndex((e) => e.path === d.path) === i);
  if (sets.length === 0) return;
  const first = sets[0]!;
  // Manifests written before set ids existed: the label, the creation time and the count say which set.
  const idOf = (m: Manifest) => m.setId ?? `${m.label}|${m.created}|${m.discCount}`;
  const seen = new Map<number, string>();
  for (const d of sets) {
    const m = d.manifest;
    if (idOf(m) !== idOf(first.manifest) || m.discCount !== first.manifest.discCount) {
      throw new CaptureMediaError(
        'VerifyFailed',
        `${d.path} (disc ${m.disc} of ${m.discCount}, set ${m.setId ?? 'without id'}) is not from the same disc set as ${first.path} (disc ${first.manifest.disc} of ${first.manifest.discCount}, set ${first.manifest.setId ?? 'without id'}): the discs are a mix of two sets.`,
        { target: d.path },
      );
    }
    if (m.disc < 1 || m.disc > m.discCount) {
      throw new CaptureMediaError('VerifyFailed', `${d.path} says it is disc ${m.disc} of a ${m.discCount}-disc set.`, { target: d.path });
    }
    const twin = seen.get(m.disc);
    if (twin !== undefined) throw new CaptureMediaError('VerifyFailed', `${d.path} and ${twin} are both disc ${m.disc} of the set.`, { target: d.path });
    seen.set(m.disc, d.path);
  }
}
