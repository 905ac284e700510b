// The CLI's check of its own parameters against the bridge schema (paramsOutsideSchema), which
// replaced running Ajv on every CLI start; Ajv itself still guards bridge requests (protocol.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { bridgeRequestSchema, paramsOutsideSchema } from '../../src/bridge/schema.js';
import { validateBridgeRequest } from '../../src/bridge/validate-request.js';

test('parameters of the right name and JSON type fit; unknown names and wrong types are named', () => {
  assert.deepEqual(paramsOutsideSchema({ mediaType: 'cddvd', path: ['E:'], distributionPoint: ['\\\\dp01'], force: true, noVerify: false }), []);
  assert.deepEqual(paramsOutsideSchema({ mediaTyp: 'cddvd' }), ['mediaTyp']);
  assert.deepEqual(paramsOutsideSchema({ force: 'yes', path: 'E:', distributionPoint: [1], mediaLabel: 7 }), ['force', 'path', 'distributionPoint', 'mediaLabel']);
  // Inherited names are not schema properties.
  assert.deepEqual(paramsOutsideSchema({ toString: 'x', constructor: 'y' }), ['toString', 'constructor']);
});

test('paramsOutsideSchema agrees with Ajv on every parameter of the schema', () => {
  const samples: Record<string, unknown[]> = { string: ['x', 1, true, ['x']], array: [['x'], 'x', [1], []], boolean: [true, 'true', 0] };
  const properties = bridgeRequestSchema.properties.params.properties as unknown as Record<string, { type: string }>;
  for (const [name, { type }] of Object.entries(properties)) {
    for (const value of samples[type]!) {
      const params = { [name]: value };
      const ajvAccepts = validateBridgeRequest({ protocol: 1, command: 'create', params });
      assert.equal(paramsOutsideSchema(params).length === 0, ajvAccepts, `${name} = ${JSON.stringify(value)}`);
    }
  }
});

test('the CLI does not load Ajv unless it runs the bridge', () => {
  // A resolve hook that reports every module the process loads from node_modules/ajv.
  const hook = `data:text/javascript,${encodeURIComponent(`
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent("export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes('/node_modules/ajv/')) process.stderr.write('AJV ' + r.url + '\\\\n'); return r; }"));
  `)}`;
  const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
  const run = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', '--import', hook, cli, ...args], { encoding: 'utf8', input });
  const help = run(['create', '--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.doesNotMatch(help.stderr, /AJV /);
  const bridge = run(['bridge'], '{"protocol":1,"command":"boot-images","params":{"bogus":1}}\n');
  assert.match(bridge.stderr, /AJV /, 'the hook sees Ajv when the bridge loads it');
});
