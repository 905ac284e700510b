// Shared helpers for the content library tests: a scratch directory under the OS temp dir that
// other users can traverse (the permission tests run a probe as `nobody`), and error matchers.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureMediaError, type ErrorId } from '../../src/errors.js';

export async function scratch(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `cm-${prefix}-`));
  await chmod(dir, 0o755);
  return {
    dir,
    cleanup: async () => {
      // Undo any chmod 000 a test left, or rm cannot descend.
      await chmodTree(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function chmodTree(dir: string): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  await chmod(dir, 0o755).catch(() => undefined);
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) await chmodTree(join(dir, entry.name));
  }
}

/** Deterministic pseudo-random bytes for a fixture file. */
export function bytesOf(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function randomBytesOf(size: number): Buffer {
  return randomBytes(size);
}

/** A predicate for assert.rejects/throws: a CaptureMediaError with `id` whose message contains every `parts`. */
export function isError(id: ErrorId, ...parts: string[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof CaptureMediaError, `expected CaptureMediaError ${id}, got ${String(e)}`);
    assert.equal(e.id, id, e.message);
    for (const part of parts) assert.ok(e.message.includes(part), `message lacks ${JSON.stringify(part)}: ${e.message}`);
    return true;
  };
}

/** Drain a ContentSource stream into one buffer. */
export async function drain(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
