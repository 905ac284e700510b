// From an Authenticode report to what an admin asks of a boot program: who signed it, and will it
// still start on a device whose Secure Boot dbx revokes "Microsoft Windows Production PCA 2011"
// (the BlackLotus mitigations, KB5025885 / CVE-2023-24932)?
//
// A signer here is the issuer of the signing certificate — the CA that a firmware's db must trust —
// because that is the name Microsoft's guidance and the dbx speak of ("signed by Windows UEFI CA
// 2023"). Only signatures whose digest matches the file count: a signature of other bytes proves
// nothing about these.

import type { AuthenticodeReport } from './reader.js';

/** The CA that signed Windows boot managers until 2024; revoked by the 2023 mitigations. */
export const WINDOWS_PCA_2011 = 'Microsoft Windows Production PCA 2011';
/** The CA that signs the boot managers in Windows\Boot\EFI_EX (2024-4B and later). */
export const WINDOWS_UEFI_CA_2023 = 'Windows UEFI CA 2023';

export interface SignerSummary {
  /** Issuers of the signatures that match the file, in file order, each once. */
  readonly signers: readonly string[];
  /** Issuers of signatures that do not match the file (modified after signing), each once. */
  readonly mismatchedSigners: readonly string[];
  readonly status: AuthenticodeReport['status'];
  /** Why Secure Boot would refuse the program (or soon may), when it would. */
  readonly warning: string | undefined;
}

/** `name` is what the warning calls the program, e.g. "\efi\boot\bootx64.efi". */
export function summariseSigners(report: AuthenticodeReport, name: string): SignerSummary {
  const signers: string[] = [];
  const mismatchedSigners: string[] = [];
  for (const s of report.signatures) {
    const issuer = s.issuer?.commonName ?? '(signer certificate missing)';
    const list = s.digestMatches && s.signatureVerified ? signers : mismatchedSigners;
    if (!list.includes(issuer)) list.push(issuer);
  }
  let warning: string | undefined;
  if (report.status === 'unsigned') warning = `${name} is unsigned: firmware with Secure Boot enabled refuses to start it.`;
  else if (report.status === 'not-pe') warning = `${name} is not an EFI program (${report.problems.join('; ')}).`;
  else if (report.status === 'malformed') warning = `${name} has a malformed signature table (${report.problems.join('; ')}): Secure Boot refuses it.`;
  else if (signers.length === 0) {
    warning = `${name} does not match its signature(s) by ${mismatchedSigners.join(', ')} (modified after signing): Secure Boot refuses it.`;
  } else if (signers.every((s) => s === WINDOWS_PCA_2011)) {
    warning = `${name} is signed only by ${WINDOWS_PCA_2011}: it will not boot on devices where the 2023 Secure Boot mitigations (KB5025885) revoked PCA 2011. Use -BootManager 2023 (--boot-manager 2023) with a boot image that has the 2023-signed boot files.`;
  }
  return { signers, mismatchedSigners, status: report.status, warning };
}
