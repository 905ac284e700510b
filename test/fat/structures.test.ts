// parse/encode round trips of each on-disk structure, names, timestamps, and the boot sector
// compared field by field with the one mkfs.fat (dosfstools) writes for the same volume.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootStub, BOOT_STUB_CODE_BYTES } from '../../src/fat/boot-code.js';
import { encodeFat32BootSector, fat32BootSector, parseFat32BootSector } from '../../src/fat/boot-sector.js';
import {
  ATTR_ARCHIVE,
  encodeDirectoryEntry,
  fromFatTimestamp,
  parseDirectoryEntry,
  shortNameToString,
  toFatTimestamp,
} from '../../src/fat/directory-entry.js';
import { fatTableChunks } from '../../src/fat/fat-table.js';
import { encodeFsInfo, parseFsInfo } from '../../src/fat/fsinfo.js';
import { defaultClusterSizeBytes, fat32Geometry } from '../../src/fat/geometry.js';
import {
  assembleLongName,
  encodeLongNameEntry,
  longNameEntries,
  parseLongNameEntry,
  shortNameChecksum,
} from '../../src/fat/long-name.js';
import { planFat32Disk } from '../../src/partition/fat32-disk.js';
import { assignShortNames, basisName, packShortName } from '../../src/fat/short-name.js';
import { firstNonLabelChar, normalizeFatLabel } from '../../src/fat/volume-label.js';
import { CaptureMediaError } from '../../src/errors.js';
import { FIXED_OPTIONS, GIB, MIB, run, WORK } from './fat-fixture.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const short = (names: string[]) =>
  assignShortNames(names).map((s) => ({ name: String.fromCharCode(...s.name), nt: s.ntReserved, lfn: s.needsLongName }));

describe('boot sector', () => {
  const bs = fat32BootSector({
    sectorsPerCluster: 8,
    reservedSectorCount: 32,
    hiddenSectorCount: 2048,
    totalSectorCount: 2095104,
    fatSectorCount: 2043,
    volumeId: 0x1a2b3c4d,
    volumeLabel: 'CAPTURE MED',
  });

  it('round-trips and carries the fixed FAT32 fields at their offsets', () => {
    const bytes = encodeFat32BootSector(bs);
    const padded = new Uint8Array(420);
    padded.set(bs.bootCode);
    assert.deepEqual(parseFat32BootSector(bytes), { ...bs, jump: [...bs.jump], bootCode: padded });
    assert.deepEqual([...bytes.subarray(0, 3)], [0xeb, 0x58, 0x90]);
    assert.equal(String.fromCharCode(...bytes.subarray(0x52, 0x5a)), 'FAT32   ');
    assert.equal(bytes[0x42], 0x29);
    assert.deepEqual([...bytes.subarray(0x1fe)], [0x55, 0xaa]);
    // The jump lands on our boot stub.
    assert.deepEqual([...bytes.subarray(0x5a, 0x5a + BOOT_STUB_CODE_BYTES)], [...bootStub(0x5a, 420).subarray(0, BOOT_STUB_CODE_BYTES)]);
  });

  it('rejects hostile geometry', () => {
    const bytes = encodeFat32BootSector(bs);
    const cases: [number, number][] = [
      [0x0d, 3], // sectors per cluster not a power of two
      [0x0e, 0], // no reserved sectors
      [0x10, 0], // no FATs
      [0x11, 1], // a root entry count: FAT12/16
    ];
    for (const [offset, value] of cases) {
      const bad = bytes.slice();
      bad[offset] = value;
      if (offset === 0x0e) bad[0x0f] = 0;
      assert.throws(() => parseFat32BootSector(bad), (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaInvalid', `offset ${offset}`);
    }
    const small = encodeFat32BootSector({ ...bs, totalSectorCount: 40000 });
    assert.throws(() => parseFat32BootSector(small), /FAT12\/16|do not reach/);
  });

  it('matches mkfs.fat -F 32 field by field for a 1 GiB disk', () => {
    const dir = join(WORK, 'mkfs');
    mkdirSync(dir, { recursive: true });
    const image = join(dir, 'mkfs.img');
    rmSync(image, { force: true });
    const layout = planFat32Disk({ files: [] }, { ...FIXED_OPTIONS, diskSizeBytes: GIB });
    const sectors = layout.geometry.volumeSectorCount;
    // -a: no alignment of the data region (Windows' 32 reserved sectors); the rest as Windows sets it.
    run('mkfs.fat', ['-C', '-F', '32', '-s', String(layout.geometry.sectorsPerCluster), '-a', '-R', '32', '-h', '2048', '-g', '255/63', '-i', '1a2b3c4d', '-n', 'CAPTURE MED', image, String(sectors / 2)]);
    const theirs = new Uint8Array(1024);
    const fd = openSync(image, 'r');
    readSync(fd, theirs, 0, 1024, 0);
    closeSync(fd);
    rmSync(image, { force: true });
    const them = parseFat32BootSector(theirs);
    const us = layout.bootSector;
    // Fields that are ours by design: OEM name ("MSWIN4.1" per §3.1 vs "mkfs.fat") and boot code.
    const { oemName: _o1, bootCode: _b1, jump: _j1, ...mine } = us;
    const { oemName: _o2, bootCode: _b2, jump: _j2, ...their } = them;
    assert.deepEqual(mine, their);
    assert.equal(them.oemName, 'mkfs.fat');
    assert.equal(us.sectorsPerCluster * 512, defaultClusterSizeBytes(sectors * 512));
    // An empty volume: the FSInfo agrees too (one cluster, the root, in use).
    assert.deepEqual(parseFsInfo(theirs, 512), layout.fsInfo);
  });
});

describe('FSInfo', () => {
  it('round-trips with the three signatures', () => {
    const bytes = encodeFsInfo({ freeClusterCount: 123456, nextFreeClusterIndex: 7 });
    assert.deepEqual([...bytes.subarray(0, 4)], [0x52, 0x52, 0x61, 0x41]);
    assert.deepEqual([...bytes.subarray(0x1e4, 0x1e8)], [0x72, 0x72, 0x41, 0x61]);
    assert.deepEqual([...bytes.subarray(0x1fc)], [0x00, 0x00, 0x55, 0xaa]);
    assert.deepEqual(parseFsInfo(bytes), { freeClusterCount: 123456, nextFreeClusterIndex: 7 });
    const bad = bytes.slice();
    bad[0x1e4] = 0;
    assert.throws(() => parseFsInfo(bad), /struct signature/);
  });
});

describe('directory entries and timestamps', () => {
  it('encodes FAT dates and times (UTC) and reverses them', () => {
    const t = toFatTimestamp(new Date('2024-05-06T07:08:09.120Z'));
    assert.deepEqual(t, { date: (44 << 9) | (5 << 5) | 6, time: (7 << 11) | (8 << 5) | 4, tenth: 112 });
    assert.equal(fromFatTimestamp(t.date, t.time, t.tenth).toISOString(), '2024-05-06T07:08:09.120Z');
    assert.deepEqual(toFatTimestamp(new Date('1970-01-01T00:00:00Z')), { date: 33, time: 0, tenth: 0 });
  });

  it('round-trips a short entry with a 32-bit cluster split into HI/LO', () => {
    const entry = {
      name: packShortName('PROGRA~1', 'TXT'),
      attributes: ATTR_ARCHIVE,
      ntReserved: 0x18,
      createdTimeTenth: 112,
      createdTime: 0x3904,
      createdDate: 0x58a6,
      accessedDate: 0x58a6,
      firstClusterIndex: 0x0012_3456,
      writeTime: 0x3904,
      writeDate: 0x58a6,
      sizeBytes: 0xffffffff,
    };
    const bytes = encodeDirectoryEntry(entry);
    assert.deepEqual([...bytes.subarray(0x14, 0x16)], [0x12, 0x00]);
    assert.deepEqual([...bytes.subarray(0x1a, 0x1c)], [0x56, 0x34]);
    assert.deepEqual(parseDirectoryEntry(bytes), entry);
    assert.equal(shortNameToString(entry.name, entry.ntReserved), 'progra~1.txt');
  });
});

describe('long names', () => {
  it('computes the §7.2 checksum', () => {
    // Independent check: the same sum with the rotate written as a 9-bit rotation.
    const name = ascii('PROGRA~1TXT');
    let sum = 0;
    for (const b of name) sum = (((sum >> 1) | (sum << 7)) + b) & 0xff;
    assert.equal(shortNameChecksum(name), sum);
  });

  it('splits into 13-character pieces, last first, terminated then 0xFFFF-padded', () => {
    const sfn = packShortName('ALONGN~1', 'TXT');
    const entries = longNameEntries('A long name.txt', sfn);
    assert.equal(entries.length, 2);
    assert.equal(entries[0]!.ordinal, 0x42);
    assert.equal(entries[1]!.ordinal, 0x01);
    assert.deepEqual(entries[0]!.chars, [0x78, 0x74, 0x0000, ...new Array(10).fill(0xffff)]);
    const exact = longNameEntries('ThirteenChars', packShortName('THIRTE~1', ''));
    assert.equal(exact.length, 1);
    assert.ok(!exact[0]!.chars.includes(0) && !exact[0]!.chars.includes(0xffff));
    const parsed = entries.map((e) => parseLongNameEntry(encodeLongNameEntry(e)));
    assert.deepEqual(parsed, entries);
    assert.equal(assembleLongName(parsed, sfn), 'A long name.txt');
    // A checksum that does not match the short name: Windows ignores the long name.
    assert.equal(assembleLongName(parsed, packShortName('OTHER', 'TXT')), undefined);
    assert.equal(assembleLongName([parsed[1]!, parsed[0]!], sfn), undefined);
  });

  it('stores UCS-2 code units (non-BMP as surrogate pairs)', () => {
    const name = 'Ünïcödé – 日本語 😀.txt';
    const sfn = packShortName('_N_C_D~1', 'TXT');
    assert.equal(assembleLongName(longNameEntries(name, sfn), sfn), name);
  });
});

describe('short names (Windows basis-name and numeric-tail algorithm)', () => {
  it('keeps valid 8.3 names, with NT case bits for lower case', () => {
    assert.deepEqual(short(['README.TXT', 'notes.txt', 'readme.TXT', 'Mixed.Txt', 'BOOT']), [
      { name: 'README  TXT', nt: 0, lfn: false },
      { name: 'NOTES   TXT', nt: 0x18, lfn: false },
      { name: 'README  TXT', nt: 0x08, lfn: false },
      { name: 'MIXED   TXT', nt: 0, lfn: true },
      { name: 'BOOT       ', nt: 0, lfn: false },
    ]);
  });

  it('generates NAME~n aliases: collisions, invalid characters, spaces, dots', () => {
    assert.deepEqual(
      short(['Program Files', 'Program Filez', 'a+b.txt', '.gitignore', 'archive.tar.gz', 'with space.txt']).map((s) => s.name),
      ['PROGRA~1   ', 'PROGRA~2   ', 'A_B~1   TXT', 'GITIGN~1   ', 'ARCHIV~1GZ ', 'WITHSP~1TXT'],
    );
    // A sibling that owns "PROGRA~1" keeps it; the alias moves on.
    assert.deepEqual(short(['Program Files', 'PROGRA~1']).map((s) => s.name), ['PROGRA~2   ', 'PROGRA~1   ']);
    // Past ~9 the base shrinks to keep 8 characters.
    const many = short(Array.from({ length: 12 }, (_, i) => `Program File ${i}`)).map((s) => s.name);
    assert.equal(many[9], 'PROGR~10   ');
    assert.equal(new Set(many).size, 12);
    assert.deepEqual(basisName('Ünï.txt'), { base: '_N_', ext: 'TXT', lossy: true });
  });
});

describe('labels and geometry', () => {
  it('validates FAT labels and derives one from a media label', () => {
    assert.equal(normalizeFatLabel('Capture Med'), 'CAPTURE MED');
    assert.equal(normalizeFatLabel(''), '');
    for (const bad of ['TWELVE CHARS', 'a.b', 'x*y', 'naïve', ' lead']) {
      assert.throws(() => normalizeFatLabel(bad), (e: unknown) => e instanceof CaptureMediaError && e.id === 'LabelInvalid', bad);
    }
    assert.equal(firstNonLabelChar('Configurati'), undefined);
    assert.equal(firstNonLabelChar('a.b*c'), '.');
    assert.equal(firstNonLabelChar('caf\u00e9'), '\u00c9');
  });

  it('picks cluster sizes by the Microsoft table, staying FAT32 on small volumes', () => {
    const cases: [number, number][] = [
      [40 * MIB, 512],
      [64 * MIB, 512],
      [100 * MIB, 1024],
      [200 * MIB, 2048],
      [GIB, 4096],
      [8 * GIB, 4096],
      [12 * GIB, 8192],
      [32 * GIB, 16384],
      [33 * GIB, 32768],
      [2047 * GIB, 32768],
    ];
    for (const [bytes, cluster] of cases) {
      const g = fat32Geometry(bytes / 512);
      assert.equal(g.clusterSizeBytes, cluster, `${bytes}`);
      assert.ok(g.clusterCount >= 65525);
      assert.ok(g.fatSectorCount * 128 >= g.clusterCount + 2);
      assert.ok((g.fatSectorCount - 1) * 128 < g.clusterCount + 2 + 2 * g.sectorsPerCluster, 'FAT not oversized');
    }
    // 100 MiB at Windows' 1 KiB would be ~100k clusters: fine. 40 MiB at 512 B: ~80k. 33 MiB is too small.
    assert.throws(() => fat32Geometry((32 * MIB) / 512), (e: unknown) => e instanceof CaptureMediaError && e.id === 'DiskTooSmall');
  });

  it('generates the FAT in chunks: media, EOC, chains, zeros', () => {
    const spec = { media: 0xf8, entryCount: 300, usedClusterCount: 5, chainEnds: [2, 5, 6] };
    const whole = Buffer.concat([...fatTableChunks(spec, 7)]);
    assert.equal(whole.length, 1200);
    const entry = (i: number): number => whole.readUInt32LE(i * 4);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 299].map(entry), [0x0ffffff8, 0x0fffffff, 0x0fffffff, 4, 5, 0x0fffffff, 0x0fffffff, 0, 0]);
  });
});
