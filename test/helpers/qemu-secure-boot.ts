// Secure Boot for the qemu harness (qemu.ts, `secureBoot: true`): OVMF built with Secure Boot and
// SMM, whose variable store has Microsoft's KEK and db certificates enrolled and Secure Boot on
// (Debian's ovmf package: OVMF_CODE_4M.ms.fd + OVMF_VARS_4M.ms.fd). Such firmware starts only
// programs whose Authenticode signature chains to its db — Microsoft's "UEFI CA 2011" signs
// Debian's shim — and refuses the rest ("Access Denied" / "Security Violation" on the console,
// mirrored to COM1).
//
// The SMM-protected variable store needs q35 with SMM and the flash marked secure, else OVMF stops
// early; S3 is disabled as Debian's OVMF README advises for SMM builds.
//
// Environment overrides: CAPTURE_MEDIA_OVMF_SB_CODE, CAPTURE_MEDIA_OVMF_SB_VARS.

import { existsSync } from 'node:fs';
import type { OvmfFirmware } from './qemu.js';

export const SECURE_BOOT_MACHINE = 'q35,smm=on';
export const SECURE_BOOT_QEMU_ARGS: readonly string[] = [
  '-global', 'driver=cfi.pflash01,property=secure,value=on',
  '-global', 'ICH9-LPC.disable_s3=1',
];

const CANDIDATES: readonly { code: string; vars: string }[] = [
  { code: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.ms.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.ms.fd', vars: '/usr/share/OVMF/OVMF_VARS.ms.fd' },
];

/** OVMF with Secure Boot enforced and Microsoft's keys enrolled, or undefined when not installed. */
export function findSecureBootOvmf(): OvmfFirmware | undefined {
  const code = process.env.CAPTURE_MEDIA_OVMF_SB_CODE;
  const vars = process.env.CAPTURE_MEDIA_OVMF_SB_VARS;
  if (code && vars) return { code, vars };
  return CANDIDATES.find((c) => existsSync(c.code) && existsSync(c.vars));
}

/** Shim prints this only once the firmware has verified and started it, and its second stage is absent. */
export const SHIM_STARTED_MARKER = 'Failed to open \\EFI\\BOOT\\grubx64.efi';
/** OVMF moved on from the medium (Boot0001) to its next boot option: the medium's attempt is over. */
export const PAST_MEDIUM_MARKER = 'loading Boot0002';

/**
 * True when the serial log shows the firmware refusing the medium's own boot option (Boot0001):
 * OVMF's LoadImage answers "Access Denied" for an unsigned program and "Security Violation" for a
 * signed one whose signer is not in db (UEFI spec §7.4 LoadImage; EDK2 BdsDxe prints the status).
 */
export function refusedMediumBoot(serialLog: string): boolean {
  return serialLog.split(/\r?\n/).some((line) => /failed to (load|start) Boot0001 .*: (Access Denied|Security Violation)/.test(line));
}
