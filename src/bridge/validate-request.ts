// Ajv enforcement of the bridge request schema (schema.ts), for requests that arrive as JSON from
// the PowerShell module. Kept out of schema.ts so that the CLI does not load Ajv.

import { Ajv } from 'ajv';
import { bridgeRequestSchema } from './schema.js';

const ajv = new Ajv({ allErrors: true });
export const validateBridgeRequest = ajv.compile(bridgeRequestSchema);

export function describeSchemaErrors(): string {
  return (validateBridgeRequest.errors ?? [])
    .map((e) => `${e.instancePath || '(request)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`)
    .join('; ');
}
