// The command table shared by the CLI and the bridge: one runner per command, same parameters.

import type { BridgeCommand, BridgeParams } from '../../bridge/schema.js';
import { CaptureMediaError } from '../../errors.js';
import type { JobContext } from '../context.js';
import { runBootImages } from './boot-images.js';
import { runCreate } from './create.js';
import { runDisks } from './disks.js';
import { runVerify } from './verify.js';

export type CommandRunner = (params: BridgeParams, context: JobContext) => Promise<void>;

export const COMMANDS: Readonly<Record<BridgeCommand, CommandRunner>> = {
  create: (params, context) => {
    if (params.mediaType === undefined) throw new CaptureMediaError('InvalidParameter', 'create needs mediaType (CdDvd, Usb or UsbImage).');
    if (params.bootImage === undefined) throw new CaptureMediaError('InvalidParameter', 'create needs bootImage (a package id or a .wim path).');
    return runCreate({ ...params, mediaType: params.mediaType, bootImage: params.bootImage, path: params.path ?? [] }, context);
  },
  'boot-images': runBootImages,
  disks: runDisks,
  verify: runVerify,
};
