// `verify` (Test-CaptureMedia): re-verify written media against the manifest on the medium.

import { dirname, resolve } from 'node:path';
import { checkWimDrivers, parseRequirements } from '../../drivers/check.js';
import { openMediumWim } from '../../drivers/medium-wim.js';
import { CaptureMediaError } from '../../errors.js';
import { hasCaptureLauncher } from '../../layout/configmgr-names.js';
import { detectMedium, type MediumKind } from '../../verify/detect.js';
import { verifyFat } from '../../verify/verify-fat.js';
import { verifyFolder } from '../../verify/verify-folder.js';
import { verifyIso } from '../../verify/verify-iso.js';
import { describeReads, type VerifyOptions, type VerifyOutcome } from '../../verify/verify-manifest.js';
import { checkDiscSet } from '../../verify/disc-set-check.js';
import { recoverSetCommits } from '../../build/set-commit.js';
import { readMediaSigners, type EfiProgramSigners } from '../../verify/efi-signers.js';
import type { JobContext } from '../context.js';
import type { CommandParams } from './params.js';

export type VerifyParams = Pick<CommandParams, 'path' | 'requireHardwareId'>;

const VERIFIERS: Readonly<Record<MediumKind, (path: string, options: VerifyOptions) => Promise<VerifyOutcome>>> = {
  iso: verifyIso,
  fat: verifyFat,
  folder: verifyFolder,
};

export async function runVerify(params: VerifyParams, context: JobContext): Promise<void> {
  if (!params.path?.length) throw new CaptureMediaError('InvalidParameter', 'verify needs --path (an ISO, an image file, a device or a mounted volume).');
  const requiredDevices = parseRequirements(params.requireHardwareId ?? []);
  const paths = params.path.map((raw) => resolve(raw));
  // A set whose commit was interrupted is finished (or undone) first: verify judges a whole set.
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    for (const line of await recoverSetCommits(dir)) context.reporter.log('warning', line);
  }
  const verified: { path: string; kind: MediumKind; outcome: VerifyOutcome; seconds: number; devicesServed: number | undefined; programs: EfiProgramSigners[] }[] = [];
  for (const path of paths) {
    const started = Date.now();
    const kind = await detectMedium(path);
    const outcome = await VERIFIERS[kind](path, { signal: context.signal, onProgress: (e) => context.reporter.progress(e) });
    context.reporter.log('verbose', `Verified ${path}: ${outcome.files} files, ${outcome.bytes} bytes match the manifest${describeReads(outcome)}.`);
    // --require-hardware-id: the boot image on the medium must serve the devices (DriverMissing).
    let devicesServed: number | undefined;
    if (requiredDevices.length > 0) {
      const medium = await openMediumWim(path, kind, context.signal);
      try {
        devicesServed = (await checkWimDrivers(medium.wim, path, requiredDevices, context.reporter, context.signal)).length;
      } finally {
        await medium.wim.close();
        await medium.dispose();
      }
    }
    // Who signed each EFI program (the El Torito loader included): read now, reported with the result.
    const programs = await readMediaSigners(path, kind, context.signal);
    verified.push({ path, kind, outcome, seconds: Math.round((Date.now() - started) / 10) / 100, devicesServed, programs });
  }
  checkDiscSet(verified.map((v) => ({ path: v.path, manifest: v.outcome.manifest })));
  for (const { path, kind, outcome, seconds, devicesServed, programs } of verified) {
    for (const p of programs) {
      if (p.Loader && p.Warning) context.reporter.log('warning', p.Warning);
    }
    context.reporter.result({
      Path: path,
      Kind: kind === 'iso' ? 'ISO' : kind === 'fat' ? 'FAT32' : 'Folder',
      Verified: true,
      Label: outcome.manifest.label,
      Disc: outcome.manifest.disc,
      DiscCount: outcome.manifest.discCount,
      Files: outcome.files,
      Bytes: outcome.bytes,
      // Over the whole set (the manifest lists every disc): can it start a capture from Windows?
      CaptureLauncher: hasCaptureLauncher(outcome.manifest.files.map((f) => f.path.split('/'))),
      Duration: seconds,
      ...(devicesServed === undefined ? {} : { DevicesServed: devicesServed }),
      EfiPrograms: programs,
    });
  }
}
