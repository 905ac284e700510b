// Round trips of every on-disk structure (encode then parse gives the same fields), plus the
// byte offsets the specifications fix, checked literally.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRecordingDate, encodeVolumeDate, parseRecordingDate, parseVolumeDate } from '../../src/iso/dates.js';
import {
  DIRECTORY_RECORD_FIXED_SIZE,
  FILE_FLAG_DIRECTORY,
  encodeDirectoryExtent,
  encodeDirectoryRecord,
  parseDirectoryExtent,
  parseDirectoryRecord,
  type DirectoryRecord,
} from '../../src/iso/directory-record.js';
import {
  PLATFORM_BIOS,
  PLATFORM_EFI,
  encodeBootCatalog,
  encodeBootRecord,
  parseBootCatalog,
  parseBootRecord,
  patchBootInfoTable,
  readBootInfoTable,
  type BootCatalog,
} from '../../src/iso/el-torito.js';
import { SECTOR_BYTES, encodeUcs2 } from '../../src/iso/fields.js';
import { encodePathTable, parsePathTable } from '../../src/iso/path-table.js';
import { encodeTerminator, encodeVolumeDescriptor, parseVolumeDescriptor, type VolumeDescriptor } from '../../src/iso/volume-descriptor.js';
import { CaptureMediaError } from '../../src/errors.js';

const WHEN = new Date('2024-05-06T07:08:09Z');

describe('dates (ECMA-119 §9.1.5, §8.4.26.1)', () => {
  it('round-trips both formats in UTC', () => {
    const b = new Uint8Array(17);
    encodeRecordingDate(WHEN, b, 0);
    assert.deepEqual([...b.subarray(0, 7)], [124, 5, 6, 7, 8, 9, 0]);
    assert.equal(parseRecordingDate(b, 0).getTime(), WHEN.getTime());
    encodeVolumeDate(WHEN, b, 0);
    assert.equal(new TextDecoder().decode(b.subarray(0, 16)), '2024050607080900');
    assert.equal(parseVolumeDate(b, 0)?.getTime(), WHEN.getTime());
    encodeVolumeDate(undefined, b, 0);
    assert.equal(parseVolumeDate(b, 0), undefined);
  });

  it('clamps dates a directory record cannot hold', () => {
    const b = new Uint8Array(7);
    encodeRecordingDate(new Date('1850-01-01T00:00:00Z'), b, 0);
    assert.equal(parseRecordingDate(b, 0).toISOString(), '1900-01-01T00:00:00.000Z');
  });
});

describe('directory record (ECMA-119 §9.1)', () => {
  const record: DirectoryRecord = { extentLba: 0x12345, dataLengthBytes: 0xfffffffe, recordedAt: WHEN, flags: FILE_FLAG_DIRECTORY, identifier: encodeUcs2('Dir') };

  it('places fields at their offsets, both-endian, padded to an even length', () => {
    const b = new Uint8Array(64);
    const size = encodeDirectoryRecord(record, b, 0);
    assert.equal(size, DIRECTORY_RECORD_FIXED_SIZE + 6 + 1);
    assert.equal(b[0], size);
    assert.deepEqual([...b.subarray(2, 10)], [0x45, 0x23, 0x01, 0x00, 0x00, 0x01, 0x23, 0x45]);
    assert.deepEqual([...b.subarray(28, 32)], [1, 0, 0, 1]);
    assert.equal(b[32], 6);
    assert.deepEqual(parseDirectoryRecord(b, 0)?.record, record);
  });

  it('never lets a record cross a sector boundary (§6.8.1.1)', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...record, identifier: new TextEncoder().encode(`FILE_${String(i).padStart(20, '0')}.TXT;1`) }));
    const extent = encodeDirectoryExtent(many);
    assert.equal(extent.length, 2 * SECTOR_BYTES);
    assert.deepEqual(parseDirectoryExtent(extent, 1000), many);
  });
});

describe('path table (ECMA-119 §9.4)', () => {
  it('round-trips L and M tables', () => {
    const records = [
      { extentLba: 20, parentNumber: 1, identifier: new Uint8Array([0]) },
      { extentLba: 21, parentNumber: 1, identifier: new TextEncoder().encode('BOOT') },
      { extentLba: 22, parentNumber: 2, identifier: new TextEncoder().encode('FON') },
    ];
    const l = encodePathTable(records, false);
    const m = encodePathTable(records, true);
    assert.equal(l.length, 10 + 12 + 12);
    assert.deepEqual([...l.subarray(2, 6)], [20, 0, 0, 0]);
    assert.deepEqual([...m.subarray(2, 6)], [0, 0, 0, 20]);
    assert.deepEqual(parsePathTable(l, false, 10), records);
    assert.deepEqual(parsePathTable(m, true, 10), records);
  });
});

describe('volume descriptors (ECMA-119 §8, Joliet §2)', () => {
  const root: DirectoryRecord = { extentLba: 30, dataLengthBytes: 2048, recordedAt: WHEN, flags: FILE_FLAG_DIRECTORY, identifier: new Uint8Array([0]) };
  const base: VolumeDescriptor = {
    joliet: false,
    systemId: 'SYS',
    volumeId: 'LABEL',
    volumeSpaceSectors: 1234,
    pathTableBytes: 10,
    lPathTableLba: 21,
    mPathTableLba: 22,
    root,
    volumeSetId: 'SET',
    publisherId: 'PUB',
    dataPreparerId: 'PREP',
    applicationId: 'APP',
    createdAt: WHEN,
    modifiedAt: WHEN,
  };

  it('round-trips a PVD and a Joliet SVD', () => {
    const pvd = encodeVolumeDescriptor(base);
    assert.equal(pvd[0], 1);
    assert.equal(new TextDecoder().decode(pvd.subarray(1, 6)), 'CD001');
    assert.equal(pvd[0x371], 1);
    const { lba, ...parsed } = parseVolumeDescriptor(pvd, 16);
    assert.equal(lba, 16);
    assert.deepEqual(parsed, base);
    const jolietVd = { ...base, joliet: true, volumeId: 'Ünïcödé Label' };
    const svd = encodeVolumeDescriptor(jolietVd);
    assert.equal(svd[0], 2);
    assert.equal(new TextDecoder().decode(svd.subarray(0x58, 0x5b)), '%/E');
    const { lba: _l, ...parsedJ } = parseVolumeDescriptor(svd, 17);
    assert.deepEqual(parsedJ, jolietVd);
  });

  it('rejects a sector that is not "CD001"', () => {
    const bad = encodeTerminator();
    bad[1] = 0x58;
    assert.throws(() => parseVolumeDescriptor(bad, 16), (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaInvalid');
  });
});

describe('El Torito (boot record §2.0, catalog §2.1–2.4)', () => {
  it('boot record at +0x47 points to the catalog', () => {
    const b = encodeBootRecord(0x1234);
    assert.equal(new TextDecoder().decode(b.subarray(7, 30)), 'EL TORITO SPECIFICATION');
    assert.equal(b[30], 0);
    assert.deepEqual(parseBootRecord(b), { catalogLba: 0x1234 });
  });

  it('round-trips a BIOS + UEFI catalog with a zero-sum validation entry', () => {
    const catalog: BootCatalog = {
      validationPlatformId: PLATFORM_BIOS,
      idString: '',
      entries: [
        { platformId: PLATFORM_BIOS, bootable: true, mediaType: 0, loadSegment: 0, systemType: 0, sectorCount: 8, loadLba: 40 },
        { platformId: PLATFORM_EFI, bootable: true, mediaType: 0, loadSegment: 0, systemType: 0, sectorCount: 2880, loadLba: 42 },
      ],
    };
    const b = encodeBootCatalog(catalog);
    assert.deepEqual([b[0x1e], b[0x1f]], [0x55, 0xaa]);
    assert.equal(b[0x20], 0x88);
    assert.deepEqual([b[0x40], b[0x41], b[0x42], b[0x43]], [0x91, 0xef, 1, 0]);
    assert.equal(b[0x60], 0x88);
    assert.deepEqual(parseBootCatalog(b, 0), catalog);
    b[0x04] ^= 1;
    assert.throws(() => parseBootCatalog(b, 0), /checksum/u);
  });

  it('boot info table: PVD LBA, file LBA, length, checksum of the words from byte 64', () => {
    const file = new Uint8Array(70).fill(1);
    patchBootInfoTable(file, { pvdLba: 16, fileLba: 99, fileLengthBytes: 70 });
    // words from 64: 0x01010101 and the zero-padded partial 0x00000101
    assert.deepEqual(readBootInfoTable(file), { pvdLba: 16, fileLba: 99, fileLengthBytes: 70, checksum: 0x01010101 + 0x0101 });
    assert.ok(file.subarray(24, 64).every((x) => x === 0));
  });
});
