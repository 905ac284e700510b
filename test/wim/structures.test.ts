// On-disk structures: parse/encode round trips against real wimlib output, header validation,
// the 64-bit chunk table, and hostile metadata built by hand (see test/wim/synthetic.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureMediaError, IntegrityError, InvalidFormatError } from '../../src/errors.js';
import { encodeBlobEntry, parseBlobEntry, BLOB_ENTRY_SIZE } from '../../src/wim/blob-table.js';
import { chunkGeometry, encodeChunkTable, parseChunkTable } from '../../src/wim/chunks.js';
import { encodeWimHeader, parseWimHeader, WIM_HEADER_SIZE } from '../../src/wim/header.js';
import { openWimBytes, fuzzWimBytes } from '../../src/wim/index.js';
import { encodeResourceHeader, parseResourceHeader, RESHDR_FLAG_COMPRESSED } from '../../src/wim/resource-header.js';
import { memoryByteSource, ResourceReader } from '../../src/wim/resource-reader.js';
import { parseXmlInfo } from '../../src/wim/xml-info.js';
import { parseBlobTable } from '../../src/wim/blob-table.js';
import { encodeDentry, parseDentry } from '../../src/wim/dentry.js';
import { parseSecurityBlock } from '../../src/wim/metadata.js';
import { xpressZeros } from '../compression/bit-writer.js';
import { wimFixtures } from './fixtures.js';
import { buildWim, type SynthNode } from './synthetic.js';

const dir = wimFixtures();
const isId = (id: string) => (e: unknown) => e instanceof CaptureMediaError && e.id === id;

test('header, resource headers and blob entries round-trip through parse/encode (wimlib-made WIM)', () => {
  const bytes = readFileSync(join(dir, 'lzx.wim'));
  const header = parseWimHeader(bytes);
  assert.equal(header.compression, 'lzx');
  assert.equal(header.imageCount, 1);
  assert.equal(header.bootIndex, 1);
  assert.deepEqual(Buffer.from(encodeWimHeader(header)), bytes.subarray(0, WIM_HEADER_SIZE));
  const table = header.blobTable;
  assert.deepEqual(Buffer.from(encodeResourceHeader(parseResourceHeader(bytes, 0x30))), bytes.subarray(0x30, 0x48));
  for (let at = table.offset; at < table.offset + table.sizeInWimBytes; at += BLOB_ENTRY_SIZE) {
    assert.deepEqual(Buffer.from(encodeBlobEntry(parseBlobEntry(bytes, at))), bytes.subarray(at, at + BLOB_ENTRY_SIZE));
  }
});

test('every dentry of a wimlib-made image re-encodes to the same bytes', async () => {
  const bytes = readFileSync(join(dir, 'multi.wim'));
  const header = parseWimHeader(bytes);
  const reader = new ResourceReader(memoryByteSource(bytes), header.compression, header.chunkSizeBytes, 'multi.wim');
  const blobTable = parseBlobTable(await reader.readAll(header.blobTable, bytes.length, 'blob table'), bytes.length);
  for (const entry of blobTable.metadata) {
    const metadata = await reader.readAll(entry.resource, 1 << 26, 'metadata');
    const security = parseSecurityBlock(metadata);
    const lists = [Math.ceil(security.totalLengthBytes / 8) * 8];
    let count = 0;
    // The root sits alone in a one-entry list.
    for (let i = 0; i < lists.length; i++) {
      for (let at = lists[i]!; ; ) {
        const d = parseDentry(metadata, at);
        if (d === undefined) break;
        assert.deepEqual(Buffer.from(encodeDentry(d)), Buffer.from(metadata.subarray(d.offset, d.nextOffset)), d.name);
        if (d.subdirOffset !== 0) lists.push(d.subdirOffset);
        count++;
        at = d.nextOffset;
      }
    }
    assert.ok(count > 3);
  }
});

test('header validation: magic, size, version, split parts, compression flags', () => {
  const good = readFileSync(join(dir, 'xpress.wim')).subarray(0, WIM_HEADER_SIZE);
  const patched = (at: number, bytes: number[]) => {
    const b = Buffer.from(good);
    b.set(bytes, at);
    return b;
  };
  const rejects = (b: Uint8Array, id: string, re: RegExp) =>
    assert.throws(() => parseWimHeader(b), (e: unknown) => isId(id)(e) && re.test((e as Error).message));
  rejects(good.subarray(0, 100), 'WimInvalid', /shorter/);
  rejects(patched(0, [0x4d, 0x53, 0x57, 0x49, 0x4e, 0x58]), 'WimInvalid', /magic/);
  rejects(patched(0, [...Buffer.from('WLPWM\0\0\0')]), 'WimInvalid', /pipable/);
  rejects(patched(8, [0xd1]), 'WimInvalid', /header size/);
  rejects(patched(0x0c, [0, 0, 2, 0]), 'WimInvalid', /version/);
  rejects(patched(0x2a, [2, 0]), 'WimInvalid', /split/);
  rejects(patched(0x12, [0x08]), 'WimUnsupportedCompression', /LZMS/);
  rejects(patched(0x12, [0x06]), 'WimInvalid', /compression flags/);
  rejects(patched(0x14, [0x01, 0x80]), 'WimInvalid', /power of two/);
  rejects(patched(0x78, [5]), 'WimInvalid', /boot index/);
});

test('64-bit chunk table when the original size exceeds 4 GiB (synthetic resource)', async () => {
  const chunk = 32768;
  const original = 2 ** 32 + chunk; // 131,073 chunks
  const zeros = xpressZeros(chunk);
  const count = Math.ceil(original / chunk);
  const table = encodeChunkTable(new Array<number>(count).fill(zeros.length), original);
  assert.equal(table.length, (count - 1) * 8);
  const bytes = Buffer.alloc(table.length + count * zeros.length);
  Buffer.from(table).copy(bytes, 0);
  for (let i = 0; i < count; i++) bytes.set(zeros, table.length + i * zeros.length);
  const resource = { sizeInWimBytes: bytes.length, flags: RESHDR_FLAG_COMPRESSED, offset: 0, originalSizeBytes: original };
  const geometry = chunkGeometry(resource, chunk);
  assert.deepEqual(geometry, { count, entrySizeBytes: 8, tableSizeBytes: (count - 1) * 8 });
  const starts = parseChunkTable(bytes.subarray(0, geometry.tableSizeBytes), resource, chunk, geometry);
  assert.equal(starts[count - 1], table.length + (count - 1) * zeros.length);
  // Decode the first few chunks through the reader; the rest would be 4 GiB of zeros.
  const reader = new ResourceReader(memoryByteSource(bytes), 'xpress', chunk, 'synthetic');
  let seen = 0;
  for await (const out of reader.chunks(resource)) {
    assert.equal(out.length, chunk);
    assert.ok(out.every((b) => b === 0));
    if (++seen === 3) break;
  }
  // A 4-byte table below the limit.
  assert.equal(chunkGeometry({ ...resource, originalSizeBytes: 2 ** 32 - 1 }, chunk).entrySizeBytes, 4);
  // A table that cannot fit its resource is refused before anything is allocated.
  assert.throws(() => chunkGeometry({ ...resource, sizeInWimBytes: 1000 }, chunk), isId('WimInvalid'));
});

test('XML info: architectures, version, missing fields default', () => {
  const xml = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const info = parseXmlInfo(
    xml('<WIM><TOTALBYTES>99</TOTALBYTES><IMAGE INDEX="2"><NAME>B</NAME><WINDOWS><ARCH>12</ARCH><VERSION><MAJOR>10</MAJOR><MINOR>0</MINOR><BUILD>22621</BUILD><SPBUILD>1</SPBUILD></VERSION></WINDOWS><TOTALBYTES>5</TOTALBYTES></IMAGE><IMAGE INDEX="1"><NAME>A &amp; co</NAME><WINDOWS><ARCH>5</ARCH></WINDOWS></IMAGE></WIM>'),
    3,
  );
  assert.equal(info.totalBytes, 99);
  assert.deepEqual(
    info.images.map((i) => [i.index, i.name, i.architecture, i.version, i.totalBytes]),
    [
      [1, 'A & co', 'arm', '', 0],
      [2, 'B', 'arm64', '10.0.22621.1', 5],
      [3, '', 'unknown', '', 0],
    ],
  );
});

const file = (name: string, text: string): SynthNode => ({ name, data: Buffer.from(text) });

test('a hand-built WIM opens; hostile variants are refused with typed errors', async () => {
  const tree = (): SynthNode => ({
    name: '',
    children: [{ name: 'Windows', children: [{ name: 'Boot', children: [file('bootmgr', 'BOOTMGR')] }] }, file('a.txt', 'hello')],
  });
  const wim = await openWimBytes(buildWim(tree()));
  assert.equal(wim.images[0]!.architecture, 'arm');
  const image = await wim.openImage(1);
  assert.equal(image.lookup('windows/boot/BOOTMGR')?.sizeBytes, 7);
  assert.equal((await fuzzWimBytes(buildWim(tree()))).outcome, 'ok');

  // '..' and separators in names could escape the extraction directory.
  for (const bad of ['..', '.', 'a\\b', 'a/b', '']) {
    const t = tree();
    t.children!.push(file(bad, 'x'));
    await assert.rejects(async () => (await openWimBytes(buildWim(t))).openImage(1), (e: unknown) => isId('WimInvalid')(e) && /unsafe file name/.test((e as Error).message), bad);
  }
  // A directory whose child list is the root's list: a cycle.
  const cyclic = tree();
  const windows = cyclic.children![0]!;
  const bytes = buildWim(cyclic, { patch: (offsets) => new Map([[windows.children![0]!, offsets.get(cyclic)!.list]]) });
  await assert.rejects(async () => (await openWimBytes(bytes)).openImage(1), (e: unknown) => isId('WimInvalid')(e) && /cycle/.test((e as Error).message));
  // Content whose stored bytes do not match the SHA-1 in the blob table.
  const w2 = await openWimBytes(buildWim(tree(), { badBlobHash: true }));
  const i2 = await w2.openImage(1);
  await assert.rejects(
    async () => {
      for await (const _ of i2.contentSource(i2.lookup('a.txt')!).stream());
    },
    (e: unknown) => e instanceof IntegrityError && e.id === 'ContentHashMismatch',
  );
  // A dentry pointing at a blob that is not in the table.
  const missing = tree();
  missing.children!.push({ name: 'ghost', sha1: 'ab'.repeat(20) });
  await assert.rejects(async () => (await openWimBytes(buildWim(missing))).openImage(1), (e: unknown) => e instanceof InvalidFormatError && /not in the blob table/.test(e.message));
});
