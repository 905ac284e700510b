// The command table shared by the CLI and the bridge: one runner per command. A host hands every
// command the same parameter bag (the create parameters, each optional, as the bridge request
// carries them); each runner takes only the fields it reads and checks those it needs.

import { CaptureMediaError } from '../../errors.js';
import type { JobContext } from '../context.js';
import type { CommandName, CommandParams } from './params.js';

export type CommandRunner = (params: CommandParams, context: JobContext) => Promise<void>;

// Runners are imported on first use, so a command loads only its own dependencies (start-up time).
export const COMMANDS: Readonly<Record<CommandName, CommandRunner>> = {
  create: async (params, context) => {
    if (params.mediaType === undefined) throw new CaptureMediaError('InvalidParameter', 'create needs mediaType (CdDvd, Usb or UsbImage).');
    if (params.bootImage === undefined) throw new CaptureMediaError('InvalidParameter', 'create needs bootImage (a package id or a .wim path).');
    const { runCreate } = await import('./create.js');
    return runCreate({ ...params, mediaType: params.mediaType, bootImage: params.bootImage, path: params.path ?? [] }, context);
  },
  'boot-images': async (params, context) => (await import('./boot-images.js')).runBootImages(params, context),
  disks: async (params, context) => (await import('./disks.js')).runDisks(params, context),
  verify: async (params, context) => (await import('./verify.js')).runVerify(params, context),
  compare: async (params, context) => (await import('./compare.js')).runCompare(params, context),
};
