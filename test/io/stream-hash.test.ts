// createStreamHash: digests equal node:crypto's for every chunking, on the worker thread (large
// streams) and inline (small ones); the caller's chunk is not retained; many streams at once stay
// apart; and an idle worker never keeps the process alive.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createStreamHash, MAX_BYTES_IN_FLIGHT, OFF_THREAD_MIN_BYTES, type HashAlgorithm } from '../../src/io/stream-hash.js';
import { REPO_ROOT } from '../helpers/temp.js';
import { xorshiftBytes } from '../helpers/xorshift.js';

const MIB = 1024 * 1024;

async function digestInChunks(algorithm: HashAlgorithm, data: Uint8Array, chunkSizes: readonly number[]): Promise<string> {
  const hash = createStreamHash(algorithm, data.length);
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = Math.min(chunkSizes[i % chunkSizes.length]!, data.length - at);
    await hash.update(data.subarray(at, at + size));
    at += size;
  }
  return hash.digest();
}

const expected = (algorithm: HashAlgorithm, data: Uint8Array) => createHash(algorithm).update(data).digest('hex');

describe('createStreamHash', () => {
  const large = xorshiftBytes(OFF_THREAD_MIN_BYTES + 3 * MIB + 7, 0x5eed);
  const small = xorshiftBytes(OFF_THREAD_MIN_BYTES - 1, 0xbeef);

  for (const algorithm of ['sha256', 'sha1'] as const) {
    it(`${algorithm}: a large stream (worker) in 1 MiB, odd, 3 MiB and 1-byte chunks matches node:crypto`, async () => {
      for (const sizes of [[MIB], [65_537, 13, MIB + 1], [3 * MIB], [1, MIB - 1]]) {
        assert.equal(await digestInChunks(algorithm, large, sizes), expected(algorithm, large), `chunks ${sizes.join(',')}`);
      }
    });
    it(`${algorithm}: a small stream (inline) and an empty one match node:crypto`, async () => {
      assert.equal(await digestInChunks(algorithm, small, [40_000]), expected(algorithm, small));
      assert.equal(await createStreamHash(algorithm, 0).digest(), expected(algorithm, new Uint8Array(0)));
      assert.equal(await createStreamHash(algorithm, 10 * MIB).digest(), expected(algorithm, new Uint8Array(0)));
    });
  }

  it('the chunk is the caller\'s again once update() resolves (it is copied, not kept)', async () => {
    const data = xorshiftBytes(8 * MIB, 7);
    const buffer = new Uint8Array(MIB);
    const hash = createStreamHash('sha256', data.length);
    for (let at = 0; at < data.length; at += MIB) {
      buffer.set(data.subarray(at, at + MIB));
      await hash.update(buffer);
      buffer.fill(0xff); // what a reader reusing its buffer would do next
    }
    assert.equal(await hash.digest(), expected('sha256', data));
  });

  it('more data than the in-flight bound, and eight streams interleaved, all digest correctly', async () => {
    const streams = Array.from({ length: 8 }, (_, i) => xorshiftBytes(MAX_BYTES_IN_FLIGHT / 4 + i * 4099, 100 + i));
    const hashes = streams.map((s) => createStreamHash('sha256', s.length));
    for (let at = 0; streams.some((s) => at < s.length); at += 512 * 1024) {
      for (const [i, s] of streams.entries()) if (at < s.length) await hashes[i]!.update(s.subarray(at, at + 512 * 1024));
    }
    const digests = await Promise.all(hashes.map((h) => h.digest()));
    digests.forEach((d, i) => assert.equal(d, expected('sha256', streams[i]!)));
  });

  it('digest() twice is a typed error, not a hang', async () => {
    const hash = createStreamHash('sha256', 64 * MIB);
    await hash.update(new Uint8Array(10));
    await hash.digest();
    await assert.rejects(hash.digest(), (e: unknown) => e instanceof Error && 'id' in e && e.id === 'InternalError');
  });

  it('a process that used the worker exits by itself, even with a stream abandoned halfway', () => {
    const script = `
      import { createStreamHash } from './src/io/stream-hash.ts';
      createStreamHash('sha256', 64 * 1024 * 1024); // opened, then the job failed before any byte
      const abandoned = createStreamHash('sha256', 64 * 1024 * 1024);
      await abandoned.update(new Uint8Array(3 * 1024 * 1024)); // a write failed: no digest() ever
      const h = createStreamHash('sha256', 64 * 1024 * 1024);
      await h.update(new Uint8Array(5 * 1024 * 1024));
      console.log(await h.digest());
    `;
    const run = (code: string) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    const r = run(script);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), expected('sha256', new Uint8Array(5 * 1024 * 1024)));
    // The worker started, and nothing was ever sent to it (a job that failed at once).
    const idle = run(`import { createStreamHash } from './src/io/stream-hash.ts'; createStreamHash('sha1', 1e9); console.log('ok');`);
    assert.equal(idle.status, 0, `exit ${idle.status} signal ${idle.signal}: ${idle.stderr}`);
    assert.equal(idle.stdout.trim(), 'ok');
  });
});
