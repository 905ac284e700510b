// FileSink's optional capabilities used by the FAT32 writer: skip (sparse regions) and writeAt
// (the first sector written last).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileSink, skipOrZero, type ByteSink } from '../../src/io/sink.js';

const DIR = new URL('../.work/io/', import.meta.url).pathname;

describe('FileSink skip and writeAt', () => {
  it('skips without writing, extends the file at close, and writes behind the position', async () => {
    mkdirSync(DIR, { recursive: true });
    const path = join(DIR, 'skip.img');
    rmSync(path, { force: true });
    const sink = await FileSink.create(path);
    await sink.write(new Uint8Array(512)); // sector 0 placeholder
    await sink.write(new Uint8Array([1, 2, 3]));
    await sink.skip(64 * 1024 * 1024);
    await sink.write(new Uint8Array([4]));
    await sink.skip(32 * 1024 * 1024); // a trailing skip
    await sink.writeAt(0, new Uint8Array([0xaa, 0xbb]));
    assert.equal(sink.position, 515 + 96 * 1024 * 1024 + 1);
    await assert.rejects(sink.writeAt(sink.position, new Uint8Array(1)), RangeError);
    await sink.close(false);
    const st = statSync(path);
    assert.equal(st.size, 515 + 96 * 1024 * 1024 + 1);
    assert.ok(st.blocks * 512 < 1024 * 1024, 'the skipped regions are holes');
    const bytes = readFileSync(path);
    assert.deepEqual([...bytes.subarray(0, 4)], [0xaa, 0xbb, 0, 0]);
    assert.deepEqual([...bytes.subarray(512, 515)], [1, 2, 3]);
    assert.equal(bytes[515 + 64 * 1024 * 1024], 4);
    rmSync(path, { force: true });
  });

  it('skipOrZero writes zeros through a sink without skip', async () => {
    let written = 0;
    const sink: ByteSink = {
      get position() {
        return written;
      },
      async write(chunk) {
        assert.ok(chunk.every((b) => b === 0));
        written += chunk.length;
      },
    };
    await skipOrZero(sink, 3 * 1024 * 1024 + 5);
    assert.equal(written, 3 * 1024 * 1024 + 5);
  });
});
