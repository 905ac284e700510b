// Who signed a boot image's UEFI boot managers: the 2011 one (Windows\Boot\EFI\bootmgfw.efi) and,
// when the image has them, the 2023 one (Windows\Boot\EFI_EX\bootmgfw_EX.efi). Get-CaptureMediaBootImage
// and `boot-images` report this so an admin can see, before building media, whether a boot image
// can make media that still boots where the 2023 mitigations revoked PCA 2011.

import { readAuthenticode, MAX_PROGRAM_BYTES, type AuthenticodeReport } from '../authenticode/reader.js';
import { summariseSigners, type SignerSummary } from '../authenticode/signers.js';
import { BOOTMGFW_EX_WIM_PATH, BOOTMGFW_WIM_PATH, EFISYS_EX_WIM_PATH } from '../layout/boot-manager-2023.js';
import type { WimImage } from '../wim/index.js';

export interface BootImageSigners {
  /** Issuers of bootmgfw.efi's matching signatures; empty when it is unsigned or absent. */
  readonly BootManagerSigners: readonly string[];
  /** Why bootmgfw.efi would not boot under Secure Boot (or soon may not), or null. */
  readonly BootManagerWarning: string | null;
  /** The image has bootmgfw_EX.efi and efisys_EX.bin (what -BootManager 2023 needs). */
  readonly Has2023BootManager: boolean;
  /** Issuers of bootmgfw_EX.efi's matching signatures; empty when absent. */
  readonly BootManager2023Signers: readonly string[];
}

/** A boot program's bytes out of the WIM (at most MAX_PROGRAM_BYTES), or undefined when absent. */
export async function readWimProgram(image: WimImage, wimPath: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  const entry = image.lookup(wimPath);
  if (!entry || entry.isDirectory) return undefined;
  const source = image.contentSource(entry);
  if (source.sizeBytes > MAX_PROGRAM_BYTES) return new Uint8Array(0); // reported as not a PE program
  const bytes = Buffer.alloc(source.sizeBytes);
  let at = 0;
  for await (const chunk of source.stream(signal)) {
    if (at + chunk.length > bytes.length) break;
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes.subarray(0, at);
}

async function signersOf(image: WimImage, wimPath: string): Promise<{ report: AuthenticodeReport; summary: SignerSummary } | undefined> {
  const bytes = await readWimProgram(image, wimPath);
  if (!bytes) return undefined;
  const report = readAuthenticode(bytes);
  return { report, summary: summariseSigners(report, wimPath) };
}

export async function describeBootImageSigners(image: WimImage): Promise<BootImageSigners> {
  const current = await signersOf(image, BOOTMGFW_WIM_PATH);
  const ex = await signersOf(image, BOOTMGFW_EX_WIM_PATH);
  const efisysEx = image.lookup(EFISYS_EX_WIM_PATH);
  return {
    BootManagerSigners: current?.summary.signers ?? [],
    BootManagerWarning: current ? (current.summary.warning ?? null) : `The boot image has no ${BOOTMGFW_WIM_PATH}.`,
    Has2023BootManager: ex !== undefined && efisysEx !== undefined && !efisysEx.isDirectory,
    BootManager2023Signers: ex?.summary.signers ?? [],
  };
}
