// The bridge request schema: unknown fields are refused so that a misspelt option is an error,
// never silently dropped. Ajv enforces it on bridge requests (validate-request.ts); the CLI only
// checks its own parameters' names and types against it (paramsOutsideSchema), without loading
// Ajv: compiling the schema cost the CLI ~150 ms of start-up (docs/benchmarks.md).

import type { JSONSchemaType } from 'ajv';
import { COMMAND_NAMES, type CommandName, type CommandParams } from '../job/commands/params.js';

export const BRIDGE_PROTOCOL = 1;

export type BridgeCommand = CommandName;

/** The parameters of every command: `create`'s (src/plan/parameters.ts), all optional. */
export type BridgeParams = CommandParams;

export interface BridgeRequest {
  protocol: number;
  command: BridgeCommand;
  params: BridgeParams;
}

const str = { type: 'string', nullable: true } as const;
const strList = { type: 'array', items: { type: 'string' }, nullable: true } as const;
const bool = { type: 'boolean', nullable: true } as const;

export const bridgeRequestSchema: JSONSchemaType<BridgeRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['protocol', 'command', 'params'],
  properties: {
    protocol: { type: 'integer', const: BRIDGE_PROTOCOL },
    command: { type: 'string', enum: [...COMMAND_NAMES] },
    params: {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: {
        mediaType: str,
        path: strList,
        bootImage: str,
        distributionPoint: strList,
        targetArchitecture: str,
        mediaSize: str,
        mediaLabel: str,
        temporaryFolder: str,
        includeAutoRun: bool,
        formatMedia: bool,
        noFormat: bool,
        noVerify: bool,
        force: bool,
        yes: bool,
        allowFixedDisk: bool,
        whatIf: bool,
        logPath: str,
        imageSize: str,
        clientSource: str,
        template: str,
        requireCaptureLauncher: bool,
        referencePath: str,
        differencePath: str,
        expectDifferent: strList,
        requireHardwareId: strList,
        drivers: bool,
        driverClass: strList,
        bootManager: str,
      },
    },
  },
};

type ParamSchema = { readonly type: string; readonly items?: { readonly type: string } };

/**
 * Names of the parameters the bridge schema does not accept as they are (unknown, or of another
 * JSON type); [] when all fit. Parameters the CLI builds are checked with this: its values come
 * from typed option parsing, so names and types are what can go wrong.
 */
export function paramsOutsideSchema(params: Readonly<Record<string, unknown>>): string[] {
  const known = bridgeRequestSchema.properties.params.properties as unknown as Readonly<Record<string, ParamSchema>>;
  return Object.entries(params)
    .filter(([name, value]) => {
      const expected = Object.hasOwn(known, name) ? known[name] : undefined;
      if (expected === undefined) return true;
      if (expected.type !== 'array') return typeof value !== expected.type;
      return !Array.isArray(value) || value.some((item) => typeof item !== expected.items?.type);
    })
    .map(([name]) => name);
}
