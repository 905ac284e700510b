// The commands a host can run and the parameters it hands them: one bag for every command (the
// create and compare parameters, each optional, as a bridge request carries them).

import type { CreateParameters } from '../../plan/parameters.js';

export const COMMAND_NAMES = ['create', 'boot-images', 'disks', 'verify', 'compare'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** `compare`'s parameters (Compare-CaptureMedia). */
export interface CompareParameters {
  referencePath: string;
  differencePath: string;
  expectDifferent: string[];
}

/** What a host hands a command: `create`'s (src/plan/parameters.ts) and `compare`'s parameters, all optional. */
export type CommandParams = Partial<CreateParameters> & Partial<CompareParameters>;
