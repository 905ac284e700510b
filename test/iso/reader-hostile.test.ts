// Hostile images for readIso. Each sample is a good image from our writer with one field broken,
// made in the test (no binary fixtures):
//   cycle           a subdirectory record points back at the root's extent
//   truncated       the image cut after the volume descriptors
//   no-terminator   the terminator's type byte overwritten, so the VD set never ends in "CD001"
//   past-end        a file record whose extent lies beyond the end of the image
//   short-record    a directory record whose length byte is smaller than the fixed part
//   slash-name      a Joliet name containing "/" (path traversal on extraction)
//   bad-catalog     the boot catalog's validation checksum broken
//   deep / many     a legal image read with small maxDepth / maxEntries caps
//   garbage         random bytes and an empty file
// Every one must end in MediaInvalid (never a hang, never a crash of another kind).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { readIso, SECTOR_BYTES, type IsoLayout } from '../../src/iso/index.js';
import { buildFixture, isoOptions, patternBytes, workDir, writeIso } from './fixture.js';

const mediaInvalid = (pattern?: RegExp) => (e: unknown) =>
  e instanceof CaptureMediaError && e.id === 'MediaInvalid' && (pattern === undefined || pattern.test(e.message));

describe('readIso on hostile input', () => {
  let dir: string;
  let good: Buffer;
  let layout: IsoLayout;

  before(async () => {
    dir = workDir('hostile');
    const fixture = buildFixture(join(dir, 'tree'));
    layout = await writeIso(fixture.tree, isoOptions(), join(dir, 'good.iso'));
    good = readFileSync(join(dir, 'good.iso'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const variant = (name: string, mutate: (b: Buffer) => Buffer | void): string => {
    const copy = Buffer.from(good);
    const out = mutate(copy) ?? copy;
    const path = join(dir, `${name}.iso`);
    writeFileSync(path, out);
    return path;
  };
  const jolietDir = (path: string[]): { lba: number } => {
    const region = layout.regions.find((r) => r.kind === 'directory' && r.tree === 'joliet' && r.path.join('/') === path.join('/'));
    assert.ok(region);
    return region;
  };

  it('reads the unmodified image', async () => {
    const image = await readIso(join(dir, 'good.iso'));
    assert.equal(image.files.length, layout.files.length);
  });

  it('cycle: a directory pointing back at the root', async () => {
    const root = jolietDir([]);
    const d1 = jolietDir(['d1']);
    const path = variant('cycle', (b) => {
      // d1's records: "." (34 bytes), ".." (34 bytes), then d2 at +68; its extent is at +2 (LE) / +6 (BE).
      const at = d1.lba * SECTOR_BYTES + 68;
      b.writeUInt32LE(root.lba, at + 2);
      b.writeUInt32BE(root.lba, at + 6);
    });
    await assert.rejects(readIso(path), mediaInvalid(/cycle/u));
  });

  it('truncated image', async () => {
    await assert.rejects(readIso(variant('truncated', (b) => b.subarray(0, 21 * SECTOR_BYTES))), mediaInvalid());
  });

  it('no terminator', async () => {
    const terminator = layout.regions.find((r) => r.kind === 'terminator')!;
    await assert.rejects(readIso(variant('no-terminator', (b) => void (b[terminator.lba * SECTOR_BYTES] = 3))), mediaInvalid());
  });

  it('a file extent past the end of the image', async () => {
    const sizes = jolietDir(['sizes']);
    const path = variant('past-end', (b) => {
      const at = sizes.lba * SECTOR_BYTES + 68; // first file record of /sizes
      b.writeUInt32LE(layout.totalSectors + 10, at + 2);
    });
    await assert.rejects(readIso(path), mediaInvalid(/past the end/u));
  });

  it('a directory record shorter than its fixed part', async () => {
    const sizes = jolietDir(['sizes']);
    await assert.rejects(readIso(variant('short-record', (b) => void (b[sizes.lba * SECTOR_BYTES + 68] = 20))), mediaInvalid());
  });

  it('a Joliet name with a "/" in it', async () => {
    const sizes = jolietDir(['sizes']);
    const path = variant('slash-name', (b) => {
      const at = sizes.lba * SECTOR_BYTES + 68;
      b.writeUInt16BE(0x2f, at + 33); // first UCS-2 character of the identifier
    });
    await assert.rejects(readIso(path), mediaInvalid(/unsafe/u));
  });

  it('a boot catalog with a broken checksum', async () => {
    const catalog = layout.regions.find((r) => r.kind === 'bootCatalog')!;
    await assert.rejects(readIso(variant('bad-catalog', (b) => void (b[catalog.lba * SECTOR_BYTES + 0x1c] ^= 0xff))), mediaInvalid(/checksum/u));
  });

  it('caps depth and entry counts', async () => {
    await assert.rejects(readIso(join(dir, 'good.iso'), { maxDepth: 4 }), mediaInvalid(/deeper/u));
    await assert.rejects(readIso(join(dir, 'good.iso'), { maxEntries: 20 }), mediaInvalid());
  });

  it('random bytes and an empty file', async () => {
    const garbage = join(dir, 'garbage.iso');
    writeFileSync(garbage, patternBytes('garbage', 40 * SECTOR_BYTES));
    await assert.rejects(readIso(garbage), mediaInvalid());
    const empty = join(dir, 'empty.iso');
    writeFileSync(empty, new Uint8Array(0));
    await assert.rejects(readIso(empty), mediaInvalid());
    await assert.rejects(readIso(join(dir, 'missing.iso')), mediaInvalid());
  });
});
