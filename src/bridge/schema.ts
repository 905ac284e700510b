// The bridge request schema, enforced with Ajv: unknown fields are refused so that a misspelt
// option is an error, never silently dropped.

import { Ajv, type JSONSchemaType } from 'ajv';
import type { CreateParameters } from '../plan/parameters.js';
import { BRIDGE_PROTOCOL } from './events.js';

export type BridgeCommand = 'create' | 'boot-images' | 'disks' | 'verify';

/** The parameters of every command: `create`'s (src/plan/parameters.ts), all optional. */
export type BridgeParams = Partial<CreateParameters>;

export interface BridgeRequest {
  protocol: number;
  command: BridgeCommand;
  params: BridgeParams;
}

const str = { type: 'string', nullable: true } as const;
const strList = { type: 'array', items: { type: 'string' }, nullable: true } as const;
const bool = { type: 'boolean', nullable: true } as const;

const schema: JSONSchemaType<BridgeRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['protocol', 'command', 'params'],
  properties: {
    protocol: { type: 'integer', const: BRIDGE_PROTOCOL },
    command: { type: 'string', enum: ['create', 'boot-images', 'disks', 'verify'] },
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
        noFormat: bool,
        noVerify: bool,
        force: bool,
        yes: bool,
        allowFixedDisk: bool,
        whatIf: bool,
        logPath: str,
        imageSize: str,
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true });
export const validateBridgeRequest = ajv.compile(schema);

export function describeSchemaErrors(): string {
  return (validateBridgeRequest.errors ?? [])
    .map((e) => `${e.instancePath || '(request)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`)
    .join('; ');
}
