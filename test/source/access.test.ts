// Permission preflight and unreadable content, as a user without Read access. Root ignores
// chmod 000, so when the suite runs as root the probe runs as `nobody` through setpriv; the
// fixture lives under the temp dir with 0755 parents so that user can reach it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeContentLibrary, type MadeContentLibrary } from '../../scripts/make-content-library.js';
import { bytesOf, scratch } from './fixture.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('./access-probe.ts', import.meta.url));
const asRoot = process.getuid?.() === 0;

interface ProbeResult {
  ok: boolean;
  uid: number;
  id?: string;
  message?: string;
  target?: string;
  bytes?: number;
}

function runProbe(args: readonly string[]): ProbeResult {
  const node = [process.execPath, '--import', 'tsx', probe, ...args];
  const command = asRoot ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node] : node;
  const result = spawnSync(command[0]!, command.slice(1), { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `probe failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as ProbeResult;
  if (asRoot) assert.notEqual(parsed.uid, 0, 'the probe must not run as root');
  return parsed;
}

let work: { dir: string; cleanup: () => Promise<void> };
let root: string;
let root2: string;
let made: MadeContentLibrary;
const PKG = 'PS100070';

before(async () => {
  work = await scratch('access');
  root = join(work.dir, 'SCCMContentLib');
  root2 = join(work.dir, 'SCCMContentLibE');
  made = await makeContentLibrary({ root, splitFileLib: root2, packageId: PKG, files: [{ bytes: bytesOf(100_000, 3), name: `boot.${PKG}.wim` }] });
});
after(async () => {
  await work.cleanup();
});

/** chmod `path` to `mode` for the duration of `fn`. */
async function withMode(path: string, mode: number, fn: () => void): Promise<void> {
  const original = (await stat(path)).mode & 0o7777;
  await chmod(path, mode);
  try {
    fn();
  } finally {
    await chmod(path, original);
  }
}

function assertUnreadable(result: ProbeResult, path: string): void {
  if (process.env.SHOW_MESSAGES) console.log(result.message);
  assert.equal(result.ok, false, JSON.stringify(result));
  assert.equal(result.id, 'ContentLibraryUnreadable', result.message);
  assert.equal(result.target, path);
  assert.ok(result.message?.includes(path), result.message);
  assert.match(result.message ?? '', /access is denied/);
  assert.match(result.message ?? '', /Read access on the content library is required \(the SCCMContentLib\$ share/);
}

describe('content library permissions (as a user without access)', { timeout: 120_000 }, () => {
  it('control: with access the probe finds and streams the boot image', () => {
    const result = runProbe(['find', PKG, root, root2]);
    assert.deepEqual([result.ok, result.bytes], [true, 100_000], JSON.stringify(result));
  });

  it('FileLib without access: ContentLibraryUnreadable naming that FileLib', async () => {
    const fileLib = join(root2, 'FileLib');
    await withMode(fileLib, 0, () => assertUnreadable(runProbe(['check', PKG, root, root2]), fileLib));
  });

  it('PkgLib without access: ContentLibraryUnreadable naming PkgLib', async () => {
    const pkgLib = join(root, 'PkgLib');
    await withMode(pkgLib, 0, () => assertUnreadable(runProbe(['find', PKG, root, root2]), pkgLib));
  });

  it('a root without access: ContentLibraryUnreadable naming the root', async () => {
    await withMode(root, 0, () => assertUnreadable(runProbe(['check', PKG, root, root2]), root));
  });

  it('a DataLib content folder without access: ContentLibraryUnreadable naming it', async () => {
    const folder = join(root, 'DataLib', `${PKG}.1`);
    await withMode(folder, 0, () => assertUnreadable(runProbe(['find', PKG, root, root2]), folder));
  });

  it('a blob without read permission: ContentLibraryUnreadable naming the blob', async () => {
    const blob = made.files[0]!.blobPath;
    await withMode(blob, 0, () => assertUnreadable(runProbe(['find', PKG, root, root2]), blob));
  });
});
