import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaptureMediaError } from '../../src/errors.js';
import {
  encodeMbr,
  lbaToChs,
  MBR_SIZE,
  parseMbr,
  partitionEntry,
  PARTITION_TYPE_FAT32_LBA,
  type Mbr,
} from '../../src/partition/mbr.js';

const WORK = new URL('../.work/partition/', import.meta.url).pathname;

function sample(sectorCount: number): Mbr {
  return {
    bootCode: new Uint8Array([0xfc, 0x31, 0xc0]),
    diskSignature: 0xdeadbeef,
    reserved: 0,
    partitions: [partitionEntry(2048, sectorCount)],
  };
}

describe('MBR', () => {
  it('fills CHS as fdisk/Windows do for 255 heads x 63 sectors, and FE FF FF past cylinder 1023', () => {
    assert.deepEqual(lbaToChs(0), { cylinder: 0, head: 0, sector: 1 });
    assert.deepEqual(lbaToChs(2048), { cylinder: 0, head: 32, sector: 33 });
    assert.deepEqual(lbaToChs(131071), { cylinder: 8, head: 40, sector: 32 });
    assert.deepEqual(lbaToChs(1023 * 255 * 63 + 255 * 63 - 1), { cylinder: 1023, head: 254, sector: 63 });
    assert.deepEqual(lbaToChs(1024 * 255 * 63), { cylinder: 1023, head: 254, sector: 63 });
  });

  it('encodes the entry bytes of a 40 GiB disk exactly', () => {
    const bytes = encodeMbr(sample(40 * 2097152 - 2048));
    assert.equal(bytes.length, MBR_SIZE);
    assert.deepEqual(
      [...bytes.subarray(0x1be, 0x1ce)],
      [0x80, 0x20, 0x21, 0x00, 0x0c, 0xfe, 0xff, 0xff, 0x00, 0x08, 0x00, 0x00, 0x00, 0xf8, 0xff, 0x04],
    );
    assert.deepEqual([...bytes.subarray(0x1b8, 0x1bc)], [0xef, 0xbe, 0xad, 0xde]);
    assert.deepEqual([...bytes.subarray(0x1ce, 0x1fe)], new Array(48).fill(0));
    assert.equal(bytes[0x1fe], 0x55);
    assert.equal(bytes[0x1ff], 0xaa);
  });

  it('round-trips parse(encode(x))', () => {
    const mbr = sample(129024);
    const parsed = parseMbr(encodeMbr(mbr));
    assert.equal(parsed.diskSignature, mbr.diskSignature);
    assert.deepEqual(parsed.partitions[0], mbr.partitions[0]);
    assert.equal(parsed.partitions[0]!.type, PARTITION_TYPE_FAT32_LBA);
    assert.deepEqual(parsed.partitions.slice(1).map((p) => p.type), [0, 0, 0]);
    assert.deepEqual(encodeMbr(parsed), encodeMbr(mbr));
  });

  it('rejects a missing signature, a bad status byte, overlaps and entries past the disk', () => {
    const bytes = encodeMbr(sample(1000));
    const noSig = bytes.slice();
    noSig[0x1ff] = 0;
    assert.throws(() => parseMbr(noSig), (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaInvalid');
    const badStatus = bytes.slice();
    badStatus[0x1be] = 0x12;
    assert.throws(() => parseMbr(badStatus), /status byte/);
    const overlap = encodeMbr({ ...sample(1000), partitions: [partitionEntry(2048, 1000), partitionEntry(2500, 10)] });
    assert.throws(() => parseMbr(overlap), /overlap/);
    assert.throws(() => parseMbr(bytes, 0, 2048 + 999), /past the end/);
    assert.throws(() => parseMbr(bytes.subarray(0, 100)), /shorter/);
  });

  it('sfdisk reads our MBR as one active 0x0c partition at 2048', () => {
    mkdirSync(WORK, { recursive: true });
    const image = join(WORK, 'mbr-only.img');
    rmSync(image, { force: true });
    writeFileSync(image, encodeMbr(sample(129024)));
    truncateSync(image, 64 * 1024 * 1024);
    const result = spawnSync('sfdisk', ['-d', image], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /label: dos/);
    assert.match(result.stdout, /label-id: 0xdeadbeef/);
    assert.match(result.stdout, /start=\s*2048, size=\s*129024, type=c, bootable/);
    rmSync(image, { force: true });
  });
});
