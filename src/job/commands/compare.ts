// `compare` (Compare-CaptureMedia): open both media, compare them, report one result. The exit
// code (6 when something unexpected differs) is the host's to set from the result's Same.

import type { CommandParams } from './params.js';
import { compareMedia } from '../../compare/compare-media.js';
import { compareSigners, type SignerRow } from '../../compare/compare-signers.js';
import { CaptureMediaError } from '../../errors.js';
import { resolveMediumPath } from '../../medium/open-medium.js';
import { openMediumOrSet } from '../../medium/open-medium-set.js';
import type { JobContext } from '../context.js';

export async function runCompare(params: CommandParams, context: JobContext): Promise<void> {
  if (params.referencePath === undefined || params.differencePath === undefined) {
    throw new CaptureMediaError('InvalidParameter', 'compare needs --reference-path (media the ConfigMgr console made) and --difference-path (ours): an ISO, a USB image or drive, or a folder.');
  }
  const reference = await openMediumOrSet(resolveMediumPath(params.referencePath));
  try {
    const difference = await openMediumOrSet(resolveMediumPath(params.differencePath));
    try {
      context.reporter.log('verbose', `Comparing ${reference.path} (${reference.fileSystem}, ${reference.files.length} files) with ${difference.path} (${difference.fileSystem}, ${difference.files.length} files).`);
      const result = await compareMedia(reference, difference, { expectDifferent: params.expectDifferent ?? [], signal: context.signal });
      // A disc set or a medium the signer reader cannot open still gets its file comparison.
      let signers: SignerRow[] | null = null;
      try {
        signers = await compareSigners(reference.path, difference.path, context.signal);
      } catch (e: unknown) {
        context.reporter.log('verbose', `EFI program signers not compared: ${e instanceof Error ? e.message : String(e)}`);
      }
      context.reporter.result({ ...result, EfiSigners: signers });
    } finally {
      await difference.close();
    }
  } finally {
    await reference.close();
  }
}
