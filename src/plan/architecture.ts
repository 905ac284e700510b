// Which boot image architectures can capture which targets (README "PowerShell",
// -TargetArchitecture): an x64 target boots x86 or x64 WinPE (x64 UEFI firmware runs only x64, but
// BIOS x64 machines boot x86 WinPE; the wizard accepts both), an x86 target only x86, an arm64
// target only arm64.

import { CaptureMediaError } from '../errors.js';

export type Architecture = 'x86' | 'x64' | 'arm64';
export const ARCHITECTURES: readonly Architecture[] = ['x86', 'x64', 'arm64'];

const COMPATIBLE: Readonly<Record<Architecture, readonly string[]>> = {
  x64: ['x86', 'x64'],
  x86: ['x86'],
  arm64: ['arm64'],
};

export function parseArchitecture(text: string | undefined): Architecture | undefined {
  if (text === undefined) return undefined;
  const a = text.trim().toLowerCase();
  const known = ARCHITECTURES.find((x) => x === a) ?? (a === 'amd64' ? 'x64' : a === 'i386' ? 'x86' : undefined);
  if (known === undefined) {
    throw new CaptureMediaError('InvalidParameter', `The target architecture "${text}" is not one of x86, x64, arm64.`, { target: text });
  }
  return known;
}

/** Throws ArchitectureMismatch when a boot image of `bootImageArch` cannot serve `target`. */
export function checkArchitecture(target: Architecture | undefined, bootImageArch: string, bootImageName: string): void {
  if (target === undefined) return;
  if (COMPATIBLE[target].includes(bootImageArch)) return;
  // x86, x64 and arm64 all begin with a vowel sound ("ex", "arm"): always "an".
  const allowed = COMPATIBLE[target].join(' or ');
  throw new CaptureMediaError(
    'ArchitectureMismatch',
    `The boot image ${bootImageName} is ${bootImageArch}, but the target architecture ${target} needs an ${allowed} boot image. Choose an ${allowed} boot image or change -TargetArchitecture.`,
    { target: bootImageName },
  );
}
