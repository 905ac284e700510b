// Compare-CaptureMedia's signer table: the signers of every EFI program on either medium, side by
// side (verify/efi-signers.ts reads them), so an admin sees at once whether our media boot under the
// same Secure Boot certificates as the console's. Informational: it does not change Same, because
// a different boot manager is often the point (-BootManager 2023 against 2011 console media).

import { readMediaSigners, type EfiProgramSigners } from '../verify/efi-signers.js';
import { detectMedium } from '../verify/detect.js';

export interface SignerRow {
  readonly Path: string;
  /** Signers on the reference medium ('(unsigned)', '(none matching)'), or null when it lacks the program. */
  readonly Reference: string | null;
  readonly Difference: string | null;
}

const describe = (p: EfiProgramSigners): string =>
  p.Signers.length > 0 ? p.Signers.join(', ') : p.Status === 'signed' ? '(no signature matches)' : `(${p.Status})`;

async function signersOf(path: string, signal?: AbortSignal): Promise<Map<string, EfiProgramSigners>> {
  const programs = await readMediaSigners(path, await detectMedium(path), signal);
  return new Map(programs.map((p) => [p.Path.toLowerCase(), p]));
}

/** Rows for every EFI program on either side, in path order. */
export async function compareSigners(referencePath: string, differencePath: string, signal?: AbortSignal): Promise<SignerRow[]> {
  const reference = await signersOf(referencePath, signal);
  const difference = await signersOf(differencePath, signal);
  const keys = [...new Set([...reference.keys(), ...difference.keys()])].sort();
  return keys.map((k) => {
    const r = reference.get(k);
    const d = difference.get(k);
    return { Path: (r ?? d)!.Path, Reference: r ? describe(r) : null, Difference: d ? describe(d) : null };
  });
}
