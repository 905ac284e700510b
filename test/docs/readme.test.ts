// The README is part of the product: its error table must be exactly src/errors.ts's, and the two
// commands at its top must be the ones CI and the demo really run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_IDS } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/temp.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

test('the README error table lists every id with its exit code and category, and nothing else', () => {
  const rows = [...readme.matchAll(/^\| `([A-Za-z0-9]+)` \| (\d+) \| ([A-Za-z]+) \| .+ \|$/gm)].map((m) => [m[1], Number(m[2]), m[3]] as const);
  const table = Object.fromEntries(rows.map(([id, exit, category]) => [id, { exitCode: exit, category }]));
  assert.deepEqual(table, Object.fromEntries(Object.entries(ERROR_IDS).map(([id, v]) => [id, { exitCode: v.exitCode, category: v.category }])));
});

test('the README starts with the demo and the test command, and .ci/run runs that exact test command', () => {
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const first = blocks[0]!.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, '').trim());
  assert.deepEqual(first, ['./scripts/setup.sh && npm run demo', './scripts/setup.sh && npm test']);
  const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
  assert.ok(ci.split('\n').includes(first[1]!), '.ci/run runs the README test command verbatim');
});
