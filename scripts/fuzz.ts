// Mutational fuzzing of every parser that reads bytes we did not write ourselves, or bytes that
// verify reads back (project issue 9):
//
//   wim  the WIM reader through fuzzWimBytes: header, blob table, XML, metadata (dentries) and the
//        XPRESS / LZX / stored chunks of file resources (seeds made with wimlib-imagex)
//   ini  the content-library INI parser, parseIni (UTF-8, UTF-16LE with BOM, CRLF seeds)
//   iso  readIso + streaming every file, as verify does (seed: our own ISO writer's output)
//   fat  readFat32 + streaming every file (seed: our own MBR + FAT32 writer's output, 40 MiB
//        sparse; mutated in place and restored, so an input costs a few pwrite calls)
//   verify  `capture-media verify` on real media (an ISO and a UsbImage made by the CLI): besides
//        "no untyped exception", an oracle - when a mutation changed a byte inside a manifest
//        file's data, verify must not pass
//
// Rules checked for every input: it is accepted, or rejected with a CaptureMediaError (any other
// exception is a bug); it takes less than --slow-ms (default 1,000 ms); the process RSS stays
// under --rss-cap-mb. Each target runs in a child process that reports a heartbeat, so a hang
// (an input that never returns) is caught and named too. Every input is reproducible from
// (seed, target, index):
//
//   npm run fuzz -- --iterations 100000 [--seed 1] [--targets wim,ini,iso,fat] [--json]
//   npm run fuzz -- --targets wim --from 123 --count 1 --seed 1      # replay one input
//   npm run fuzz -- --targets ini --iterations 20 --self-test hang    # prove the watchdog works

import { execFileSync, fork } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, readSync, ftruncateSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CaptureMediaError } from '../src/errors.js';
import { bufferSource } from '../src/io/content.js';
import { FileSink } from '../src/io/sink.js';
import { emitFat32Disk, planFat32Disk, readFat32Disk } from '../src/partition/fat32-disk.js';
import { emitIso, planIso, readIso } from '../src/iso/index.js';
import { parseIni } from '../src/source/ini.js';
import { fuzzWimBytes } from '../src/wim/index.js';
import { verifyIso } from '../src/verify/verify-iso.js';
import { verifyFat } from '../src/verify/verify-fat.js';

export const TARGETS = ['wim', 'ini', 'iso', 'fat', 'verify'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface FuzzFailure {
  readonly target: TargetName;
  readonly index: number;
  readonly kind: 'exception' | 'slow' | 'hang' | 'memory' | 'crash';
  readonly detail: string;
  readonly ops?: readonly string[];
}

export interface TargetStats {
  inputs: number;
  outcomes: Record<string, number>;
  slowestMs: number;
  slowestIndex: number;
  peakRssMb: number;
  failures: FuzzFailure[];
}

export interface FuzzReport {
  readonly seed: number;
  readonly iterations: number;
  readonly elapsedMs: number;
  readonly targets: Partial<Record<TargetName, TargetStats>>;
  readonly failures: readonly FuzzFailure[];
}

export interface FuzzOptions {
  /** Total inputs, shared evenly between the targets. */
  readonly iterations: number;
  readonly seed?: number;
  readonly targets?: readonly TargetName[];
  /** Only inputs [from, from + count) of each target (replay). */
  readonly from?: number;
  readonly slowMs?: number;
  readonly rssCapMb?: number;
  /** A child silent for this long is declared hung and killed. */
  readonly hangMs?: number;
  readonly parallel?: number;
  readonly onProgress?: (line: string) => void;
  /** Prove the harness: make input #5 of every target throw a TypeError, run slow, hang, or grow RSS. */
  readonly selfTest?: SelfTest;
}

export type SelfTest = 'throw' | 'slow' | 'hang' | 'memory';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: one small PRNG per input, seeded from (seed, target, index).

export class Rand {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export function inputSeed(seed: number, target: TargetName, index: number): number {
  let h = 2166136261 ^ seed;
  for (const ch of `${target}:${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Mutations

export interface Region {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly weight: number;
}

function interesting(size: number): number[] {
  return [0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, size, size - 1, size + 1, size >>> 1];
}

function pickRegion(regions: readonly Region[], rand: Rand): Region {
  const total = regions.reduce((s, r) => s + r.weight, 0);
  let x = rand.next() * total;
  for (const r of regions) {
    x -= r.weight;
    if (x <= 0) return r;
  }
  return regions[regions.length - 1]!;
}

/** Point mutations only (the length never changes): usable in place. Returns [offset, bytes][] to write. */
export function pointMutations(seed: Uint8Array, regions: readonly Region[], rand: Rand, ops: string[]): Map<number, number> {
  const changes = new Map<number, number>();
  const set = (at: number, value: number) => {
    if (at >= 0 && at < seed.length) changes.set(at, value & 0xff);
  };
  const count = 1 + rand.int(rand.chance(0.2) ? 12 : 4);
  for (let k = 0; k < count; k++) {
    const region = pickRegion(regions, rand);
    const at = region.start + rand.int(Math.max(1, region.end - region.start));
    const current = changes.get(at) ?? seed[at] ?? 0;
    switch (rand.int(6)) {
      case 0:
        set(at, current ^ (1 << rand.int(8)));
        ops.push(`flip ${region.name}@${at}`);
        break;
      case 1:
        set(at, rand.int(256));
        ops.push(`byte ${region.name}@${at}`);
        break;
      case 2:
      case 3: {
        const width = rand.pick([2, 4, 8]);
        const value = rand.pick(interesting(seed.length));
        const aligned = at - (at % width);
        for (let b = 0; b < width; b++) set(aligned + b, b < 4 ? value >>> (8 * b) : rand.chance(0.8) ? 0 : 0xff);
        ops.push(`u${width * 8} ${region.name}@${aligned}=${value}`);
        break;
      }
      case 4: {
        const length = 1 + rand.int(64);
        for (let b = 0; b < length; b++) set(at + b, rand.int(256));
        ops.push(`fill ${region.name}@${at}+${length}`);
        break;
      }
      default: {
        const from = rand.int(seed.length);
        const length = 1 + rand.int(32);
        for (let b = 0; b < length; b++) set(at + b, seed[from + b] ?? 0);
        ops.push(`copy @${from}->${region.name}@${at}+${length}`);
      }
    }
  }
  return changes;
}

/** Point mutations plus length changes (truncate, insert, delete) on a copy. */
export function mutate(seed: Uint8Array, regions: readonly Region[], rand: Rand, ops: string[]): Uint8Array {
  let out: Uint8Array = Uint8Array.from(seed);
  if (!rand.chance(0.15)) for (const [at, v] of pointMutations(seed, regions, rand, ops)) out[at] = v;
  if (rand.chance(0.12)) {
    const at = rand.int(out.length + 1);
    out = out.subarray(0, at);
    ops.push(`truncate ${at}`);
  }
  if (rand.chance(0.06)) {
    const at = rand.int(out.length + 1);
    const extra = Uint8Array.from({ length: 1 + rand.int(300) }, () => rand.int(256));
    out = Buffer.concat([out.subarray(0, at), extra, out.subarray(at)]);
    ops.push(`insert ${extra.length}@${at}`);
  }
  if (rand.chance(0.06)) {
    const at = rand.int(out.length + 1);
    const length = rand.int(300);
    out = Buffer.concat([out.subarray(0, at), out.subarray(at + length)]);
    ops.push(`delete ${length}@${at}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Targets: seeds, regions and one input's run. `runOne` resolves with an outcome name.

interface Target {
  runOne(index: number, rand: Rand, ops: string[]): Promise<string>;
  close(): Promise<void>;
}

async function drain(stream: AsyncIterable<Uint8Array>, limit: number): Promise<number> {
  let n = 0;
  for await (const chunk of stream) {
    n += chunk.length;
    if (n > limit) throw new Error(`a reader yielded ${n} bytes, more than the ${limit}-byte medium could hold`);
  }
  return n;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
function u56(b: Uint8Array, at: number): number {
  return u32(b, at) + (b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16)) * 2 ** 32;
}
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 2 ** 32;
}

/** WIM regions from the header (Microsoft's WIM format paper): header, blob table, XML, metadata, file chunks. */
export function wimRegions(wim: Uint8Array): Region[] {
  const regions: Region[] = [{ name: 'header', start: 0, end: 208, weight: 3 }];
  const res = (at: number) => ({ size: u56(wim, at), offset: u64(wim, at + 8) });
  const blobTable = res(0x30);
  const xml = res(0x48);
  regions.push({ name: 'blobtable', start: blobTable.offset, end: blobTable.offset + blobTable.size, weight: 3 });
  regions.push({ name: 'xml', start: xml.offset, end: xml.offset + xml.size, weight: 1 });
  const metadata: { start: number; end: number }[] = [];
  for (let at = blobTable.offset; at + 50 <= blobTable.offset + blobTable.size; at += 50) {
    const flags = wim[at + 7]!;
    const r = res(at);
    if (flags & 0x2) {
      metadata.push({ start: r.offset, end: r.offset + r.size });
      regions.push({ name: 'metadata', start: r.offset, end: r.offset + r.size, weight: 3 });
    }
  }
  // Everything after the header that is none of the above: file resources (chunk tables + chunks).
  const firstMeta = Math.min(blobTable.offset, xml.offset, ...metadata.map((m) => m.start));
  regions.push({ name: 'chunks', start: 208, end: Math.max(209, firstMeta), weight: 3 });
  return regions.filter((r) => r.end > r.start && r.end <= wim.length);
}

function makeWimSeeds(work: string): Uint8Array[] {
  const tree = join(work, 'wimtree');
  const files: Record<string, Uint8Array | string> = {
    'Windows/Boot/EFI/bootmgfw.efi': new Uint8Array(3000).map((_, i) => (i * 7919) & 0xff),
    'Windows/Boot/DVD/PCAT/etfsboot.com': 'etfsboot '.repeat(300),
    'Windows/System32/config.txt': 'A line of text that LZ77 can match against itself. '.repeat(1500),
    'Windows/System32/random.bin': new Uint8Array(5000).map((_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff),
    'sms/bin/x64/TsmBootstrap.exe': 'MZ\x90\x00'.repeat(2000),
    'empty.txt': '',
  };
  for (const [path, content] of Object.entries(files)) {
    const full = join(tree, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  const seeds: Uint8Array[] = [];
  for (const compress of ['XPRESS', 'LZX', 'none']) {
    const wim = join(work, `seed-${compress}.wim`);
    execFileSync('wimlib-imagex', ['capture', tree, wim, 'Fuzz', `--compress=${compress}`, ...(compress === 'none' ? [] : ['--chunk-size=32768']), '--boot', '--image-property', 'WINDOWS/ARCH=9'], {
      stdio: 'ignore',
    });
    seeds.push(readFileSync(wim));
  }
  return seeds;
}

function wimTarget(work: string): Target {
  const seeds = makeWimSeeds(work);
  const regions = seeds.map(wimRegions);
  return {
    async runOne(_index, rand, ops) {
      const s = rand.int(seeds.length);
      ops.push(['XPRESS', 'LZX', 'none'][s]!);
      const input = mutate(seeds[s]!, regions[s]!, rand, ops);
      const r = await fuzzWimBytes(input);
      return r.outcome;
    },
    close: async () => undefined,
  };
}

const INI_SEEDS_TEXT = [
  '[Packages]\r\nPS100004.1=\r\nPS100004.2=\r\n',
  '[File]\r\nSize=1725056\r\nTimeModified=133485408000000000\r\nAttributes=20\r\nHash=E2786EEA6F3F7577123EB2482F24857FAB4A5EFADD8434B67BCC3784FDE7092E\r\n',
  '[Content Id]\r\nPS100004.1=\r\n; a comment\r\n\r\n[Other]\r\nKey = value with spaces \r\nkey=duplicate\r\n',
  '[Content]\r\nFiles=30\r\nSize=79839232\r\n[Packages]\r\nps100004.3=\r\n',
];

function iniTarget(): Target {
  const seeds: Uint8Array[] = [];
  for (const text of INI_SEEDS_TEXT) {
    seeds.push(Buffer.from(text, 'utf8'));
    seeds.push(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    seeds.push(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replaceAll('\r\n', '\n'), 'utf8')]));
  }
  const specials = [0x00, 0x0a, 0x0d, 0x3d, 0x5b, 0x5d, 0x3b, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0xd8, 0xdc, 0x80, 0xc0];
  return {
    async runOne(_index, rand, ops) {
      const seed = rand.pick(seeds);
      let input = mutate(seed, [{ name: 'all', start: 0, end: seed.length, weight: 1 }], rand, ops);
      if (rand.chance(0.3)) {
        input = Uint8Array.from(input);
        for (let k = 0; k < 1 + rand.int(4); k++) input[rand.int(Math.max(1, input.length))] = rand.pick(specials);
        ops.push('specials');
      }
      if (rand.chance(0.02)) {
        input = Buffer.concat(Array.from({ length: 200 + rand.int(2000) }, () => input));
        ops.push('repeat');
      }
      const ini = parseIni(input, '<fuzz>.INI');
      // Touch what the content-library reader touches.
      for (const name of ['Packages', 'File', 'Content Id', 'Content']) ini.section(name)?.entries.map((e) => e.key);
      return 'ok';
    },
    close: async () => undefined,
  };
}

const ISO_RECORDED_AT = new Date('2025-01-02T03:04:05Z');

function isoTree() {
  const file = (path: string, bytes: Uint8Array) => ({ path: path.split('/'), content: bufferSource(bytes) });
  const text = (s: string) => Buffer.from(s);
  return {
    files: [
      file('boot/etfsboot.com', new Uint8Array(4096).map((_, i) => i & 0xff)),
      file('efi/microsoft/boot/efisys.bin', new Uint8Array(8192).fill(0xf6)),
      file('bootmgr', text('bootmgr '.repeat(100))),
      file('MediaLabel.txt', text('label=Fuzz\r\n')),
      file('SMS/data/TsmBootstrap.ini', text('[MediaInfo]\r\nMediaType=Capture\r\n')),
      file('SMS/bin/x64/A file with a rather long Joliet name.txt', text('x')),
      file('empty.txt', new Uint8Array(0)),
      file('deep/a/b/c/d/e/f/g/leaf.bin', new Uint8Array(2049).fill(7)),
    ],
    directories: [['empty-dir']],
  };
}

async function writeSeed(path: string, write: (sink: FileSink) => Promise<void>): Promise<void> {
  const sink = await FileSink.create(path, 'w', 0o600);
  await write(sink);
  await sink.close(false);
}

async function isoTarget(work: string): Promise<Target> {
  const seedPath = join(work, 'seed.iso');
  const layout = planIso(isoTree(), {
    volumeLabel: 'FUZZ',
    jolietLabel: 'Fuzz',
    recordedAt: ISO_RECORDED_AT,
    bootBios: { path: ['boot', 'etfsboot.com'], loadSectors: 8 },
    bootUefi: { path: ['efi', 'microsoft', 'boot', 'efisys.bin'] },
  });
  await writeSeed(seedPath, (sink) => emitIso(layout, sink));
  const seed = readFileSync(seedPath);
  const parsed = await readIso(seedPath);
  const firstData = Math.min(...parsed.files.filter((f) => f.sizeBytes > 0).map((f) => f.lba)) * 2048;
  const regions: Region[] = [
    { name: 'descriptors', start: 16 * 2048, end: 20 * 2048, weight: 4 },
    { name: 'tables+dirs', start: 20 * 2048, end: firstData, weight: 5 },
    { name: 'anywhere', start: 0, end: seed.length, weight: 1 },
  ];
  const inputPath = join(work, 'input.iso');
  return {
    async runOne(_index, rand, ops) {
      writeFileSync(inputPath, mutate(seed, regions, rand, ops));
      const image = await readIso(inputPath, { preferPrimary: rand.chance(0.3) });
      let bytes = 0;
      for (const f of image.files) bytes += await drain(image.openFile(f), seed.length * 4);
      return 'ok';
    },
    close: async () => undefined,
  };
}

async function fatTarget(work: string): Promise<Target> {
  const seedPath = join(work, 'seed.img');
  const MiB = 1024 * 1024;
  const layout = planFat32Disk(isoTree(), {
    diskSizeBytes: 40 * MiB,
    label: 'FUZZ',
    volumeId: 0x12345678,
    diskSignature: 0x9abcdef0,
    recordedAt: ISO_RECORDED_AT,
    partitionOffsetBytes: MiB,
  });
  await writeSeed(seedPath, (sink) => emitFat32Disk(layout, sink));
  // The metadata regions, from the boot sector we just wrote.
  const fd = openSync(seedPath, 'r+');
  const head = Buffer.alloc(MiB + 512);
  readSync(fd, head, 0, head.length, 0);
  const base = MiB;
  const bps = head.readUInt16LE(base + 11);
  const spc = head[base + 13]!;
  const reserved = head.readUInt16LE(base + 14);
  const fats = head[base + 16]!;
  const fatSectors = head.readUInt32LE(base + 36);
  const fatStart = base + reserved * bps;
  const dataStart = fatStart + fats * fatSectors * bps;
  const regions: Region[] = [
    { name: 'mbr', start: 0, end: 512, weight: 2 },
    { name: 'bootsector', start: base, end: base + 512, weight: 4 },
    { name: 'fsinfo+backup', start: base + 512, end: base + reserved * bps, weight: 1 },
    { name: 'fat', start: fatStart, end: fatStart + 4096, weight: 3 },
    { name: 'fat2', start: fatStart + fatSectors * bps, end: fatStart + fatSectors * bps + 4096, weight: 1 },
    { name: 'dirs', start: dataStart, end: dataStart + 64 * spc * bps, weight: 5 },
  ];
  // The seed in memory, so mutations can be computed and undone byte for byte.
  const mirror = readFileSync(seedPath);
  const seedSize = mirror.length;
  const pristine = nonZeroBlocks(mirror);
  return {
    async runOne(_index, rand, ops) {
      const changes = pointMutations(mirror, regions, rand, ops);
      const truncate = rand.chance(0.05) ? rand.int(seedSize) : undefined;
      const write = (at: number, v: number) => writeSync(fd, Uint8Array.of(v), 0, 1, at);
      for (const [at, v] of changes) write(at, v);
      if (truncate !== undefined) {
        ftruncateSync(fd, truncate);
        ops.push(`truncate ${truncate}`);
      }
      try {
        const handle = await open(seedPath, 'r');
        try {
          const volume = await readFat32Disk(handle);
          for (const f of volume.files) await drain(volume.openFile(f), seedSize);
        } finally {
          await handle.close();
        }
        return 'ok';
      } finally {
        if (truncate !== undefined) {
          // Restore the tail: grow back (zeros), then rewrite the seed's non-zero blocks.
          ftruncateSync(fd, seedSize);
          restoreFatSeed(fd, pristine);
        }
        for (const at of changes.keys()) write(at, mirror[at]!);
      }
    },
    close: async () => closeSync(fd),
  };
}

/** The seed image's non-zero 4 KiB blocks (40 MiB image, a few hundred KiB of them), to restore after a truncation. */
function nonZeroBlocks(bytes: Uint8Array): Map<number, Uint8Array> {
  const blocks = new Map<number, Uint8Array>();
  for (let at = 0; at < bytes.length; at += 4096) {
    const block = bytes.subarray(at, at + 4096);
    if (block.some((b) => b !== 0)) blocks.set(at, Uint8Array.from(block));
  }
  return blocks;
}
function restoreFatSeed(fd: number, blocks: Map<number, Uint8Array>): void {
  for (const [at, block] of blocks) writeSync(fd, block, 0, block.length, at);
}

// The media files a ConfigMgr boot image yields, at small sizes (README "What is on the media").
const MEDIA_SEED_FILES: Readonly<Record<string, number>> = {
  'Windows/Boot/PCAT/bootmgr': 3000,
  'Windows/Boot/EFI/bootmgfw.efi': 2000,
  'Windows/Boot/EFI/bootmgr.efi': 2000,
  'Windows/Boot/DVD/EFI/BCD': 4096,
  'Windows/Boot/DVD/EFI/en-US/efisys.bin': 16384,
  'Windows/Boot/DVD/PCAT/BCD': 4096,
  'Windows/Boot/DVD/PCAT/boot.sdi': 3000,
  'Windows/Boot/DVD/PCAT/etfsboot.com': 4096,
  'Windows/Boot/Fonts/wgl4_boot.ttf': 1000,
  'sms/bin/x64/TsmBootstrap.exe': 5000,
};

export function makeMediaSeeds(work: string): { iso: string; img: string } {
  const tree = join(work, 'mediatree');
  let x = 12345;
  for (const [path, size] of Object.entries(MEDIA_SEED_FILES)) {
    const full = join(tree, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, Uint8Array.from({ length: size }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) & 0xff));
  }
  const wim = join(work, 'media.wim');
  execFileSync('wimlib-imagex', ['capture', tree, wim, 'Microsoft Windows PE', '--compress=XPRESS', '--boot', '--image-property', 'WINDOWS/ARCH=9'], { stdio: 'ignore' });
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const env = { ...process.env, CAPTUREMEDIA_NO_LOG: '1', SOURCE_DATE_EPOCH: '1764000000' };
  const iso = join(work, 'media.iso');
  const img = join(work, 'media.img');
  execFileSync(process.execPath, ['--import', 'tsx', cli, 'create', '--media-type', 'cddvd', '--path', iso, '--boot-image', wim], { env, stdio: 'ignore' });
  execFileSync(process.execPath, ['--import', 'tsx', cli, 'create', '--media-type', 'usbimage', '--path', img, '--boot-image', wim], { env, stdio: 'ignore' });
  return { iso, img };
}

type Range = readonly [start: number, end: number];
const inRanges = (ranges: readonly Range[], at: number) => ranges.some(([a, b]) => at >= a && at < b);

async function verifyTarget(work: string): Promise<Target> {
  const seeds = makeMediaSeeds(work);
  // ISO: held in memory, rewritten per input. Data ranges: every file extent.
  const isoSeed = readFileSync(seeds.iso);
  const isoImage = await readIso(seeds.iso);
  // The manifest is mutated too, but not part of the oracle: it carries no hash of itself, so a
  // changed label/createdBy/created value inside it still verifies (reported in docs/reliability.md).
  const isManifest = (path: readonly string[]) => path.join('/').toLowerCase() === 'capturemedia.manifest.json';
  const extentsOf = (f: { extents: readonly { lba: number; sizeBytes: number }[] }) =>
    f.extents.filter((e) => e.sizeBytes > 0).map((e): Range => [e.lba * 2048, e.lba * 2048 + e.sizeBytes]);
  const isoData: Range[] = isoImage.files.filter((f) => !isManifest(f.path)).flatMap(extentsOf);
  const isoManifest: Range[] = isoImage.files.filter((f) => isManifest(f.path)).flatMap(extentsOf);
  const firstData = Math.min(...isoData.map(([a]) => a));
  const isoRegions: Region[] = [
    { name: 'descriptors', start: 16 * 2048, end: 20 * 2048, weight: 2 },
    { name: 'tables+dirs', start: 20 * 2048, end: firstData, weight: 3 },
    ...isoManifest.map(([a, b]): Region => ({ name: 'manifest', start: a, end: b, weight: 1 })),
    ...isoData.map(([a, b], i): Region => ({ name: `data${i}`, start: a, end: b, weight: 5 / isoData.length })),
  ];
  const isoInput = join(work, 'input.iso');

  // UsbImage: mutated in place. Data ranges: files whose cluster chain is contiguous (ours are).
  const imgSeed = readFileSync(seeds.img);
  const fd = openSync(seeds.img, 'r+');
  const base = 1024 * 1024;
  const bps = imgSeed.readUInt16LE(base + 11);
  const spc = imgSeed[base + 13]!;
  const fatStart = base + imgSeed.readUInt16LE(base + 14) * bps;
  const dataStart = fatStart + imgSeed[base + 16]! * imgSeed.readUInt32LE(base + 36) * bps;
  const clusterBytes = bps * spc;
  const volume = await readFat32Disk(seeds.img);
  const imgData: Range[] = [];
  for (const f of volume.files) {
    if (f.sizeBytes === 0 || isManifest(f.path)) continue;
    const clusters = Math.ceil(f.sizeBytes / clusterBytes);
    let contiguous = true;
    for (let c = 0; c < clusters - 1; c++) {
      if ((imgSeed.readUInt32LE(fatStart + (f.firstClusterIndex + c) * 4) & 0x0fffffff) !== f.firstClusterIndex + c + 1) contiguous = false;
    }
    const start = dataStart + (f.firstClusterIndex - 2) * clusterBytes;
    if (contiguous) imgData.push([start, start + f.sizeBytes]);
  }
  await volume.close();
  const imgRegions: Region[] = [
    { name: 'mbr', start: 0, end: 512, weight: 1 },
    { name: 'bootsector', start: base, end: base + 512, weight: 2 },
    { name: 'fat', start: fatStart, end: fatStart + 4096, weight: 2 },
    { name: 'dirs', start: dataStart, end: dataStart + 16 * clusterBytes, weight: 2 },
    ...imgData.map(([a, b], i): Region => ({ name: `data${i}`, start: a, end: b, weight: 5 / imgData.length })),
  ];

  const oracle = (ok: boolean, touched: number[], what: string) => {
    if (ok && touched.length > 0) throw new Error(`verify accepted ${what} although file data changed at ${touched.slice(0, 4).join(', ')}`);
  };

  return {
    async runOne(_index, rand, ops) {
      if (rand.chance(0.5)) {
        ops.push('iso');
        const changes = pointMutations(isoSeed, isoRegions, rand, ops);
        const input = Buffer.from(isoSeed);
        for (const [at, v] of changes) input[at] = v;
        const touched = [...changes].filter(([at, v]) => v !== isoSeed[at] && inRanges(isoData, at)).map(([at]) => at);
        writeFileSync(isoInput, input);
        await verifyIso(isoInput).then(
          () => oracle(true, touched, 'an ISO'),
          (error: unknown) => {
            throw error;
          },
        );
        return 'ok';
      }
      ops.push('img');
      const changes = pointMutations(imgSeed, imgRegions, rand, ops);
      const touched = [...changes].filter(([at, v]) => v !== imgSeed[at] && inRanges(imgData, at)).map(([at]) => at);
      for (const [at, v] of changes) writeSync(fd, Uint8Array.of(v), 0, 1, at);
      try {
        await verifyFat(seeds.img);
        oracle(true, touched, 'a UsbImage');
        return 'ok';
      } finally {
        for (const at of changes.keys()) writeSync(fd, imgSeed, at, 1, at);
      }
    },
    close: async () => closeSync(fd),
  };
}

async function makeTarget(name: TargetName, work: string): Promise<Target> {
  switch (name) {
    case 'wim':
      return wimTarget(work);
    case 'ini':
      return iniTarget();
    case 'iso':
      return isoTarget(work);
    case 'fat':
      return fatTarget(work);
    case 'verify':
      return verifyTarget(work);
  }
}

// ---------------------------------------------------------------------------------------------
// Child: run inputs [from, from + count) of one target, heartbeat to the parent.

interface ChildJob {
  readonly target: TargetName;
  readonly seed: number;
  readonly from: number;
  readonly count: number;
  readonly slowMs: number;
  readonly rssCapMb: number;
  readonly selfTest?: SelfTest;
  /** Scratch folder, made and removed by the parent (a killed child cannot clean up). */
  readonly work: string;
}

const retained: Uint8Array[] = [];
async function selfTestInput(kind: SelfTest, job: ChildJob): Promise<string> {
  switch (kind) {
    case 'throw':
      throw new TypeError('self-test: an untyped exception');
    case 'slow': {
      const until = performance.now() + job.slowMs + 100;
      while (performance.now() < until) {
        // busy: a slow parser
      }
      return 'ok';
    }
    case 'hang':
      for (;;) {
        // a parser stuck in a loop
      }
    case 'memory':
      for (let i = 0; i < job.rssCapMb / 16 + 4; i++) retained.push(new Uint8Array(16 * 1024 * 1024).fill(1));
      return 'ok';
  }
}

type ChildMessage = { type: 'beat'; index: number } | { type: 'done'; stats: TargetStats } | { type: 'fatal'; detail: string };

async function runChild(job: ChildJob, send: (m: ChildMessage) => void): Promise<void> {
  const work = job.work;
  const stats: TargetStats = { inputs: 0, outcomes: {}, slowestMs: 0, slowestIndex: -1, peakRssMb: 0, failures: [] };
  try {
    const target = await makeTarget(job.target, work);
    try {
      for (let index = job.from; index < job.from + job.count; index++) {
        if ((index - job.from) % 20 === 0) send({ type: 'beat', index });
        const rand = new Rand(inputSeed(job.seed, job.target, index));
        const ops: string[] = [];
        const started = performance.now();
        let outcome: string;
        try {
          outcome = job.selfTest !== undefined && index === job.from + 5 ? await selfTestInput(job.selfTest, job) : await target.runOne(index, rand, ops);
        } catch (error: unknown) {
          if (error instanceof CaptureMediaError) outcome = error.id;
          else {
            outcome = 'EXCEPTION';
            const detail = error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 6).join('\n') : String(error);
            if (stats.failures.length < 50) stats.failures.push({ target: job.target, index, kind: 'exception', detail, ops });
          }
        }
        const ms = performance.now() - started;
        stats.inputs++;
        stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
        if (ms > stats.slowestMs) {
          stats.slowestMs = ms;
          stats.slowestIndex = index;
        }
        if (ms > job.slowMs && stats.failures.length < 50) stats.failures.push({ target: job.target, index, kind: 'slow', detail: `${ms.toFixed(0)} ms`, ops });
        if (stats.inputs % 200 === 0 || index === job.from || (job.selfTest === 'memory' && index === job.from + 5)) {
          const rss = process.memoryUsage().rss / (1024 * 1024);
          stats.peakRssMb = Math.max(stats.peakRssMb, rss);
          if (rss > job.rssCapMb) {
            stats.failures.push({ target: job.target, index, kind: 'memory', detail: `RSS ${rss.toFixed(0)} MiB > cap ${job.rssCapMb} MiB`, ops });
            break;
          }
        }
      }
    } finally {
      await target.close();
    }
    stats.peakRssMb = Math.max(stats.peakRssMb, process.memoryUsage().rss / (1024 * 1024));
    send({ type: 'done', stats });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function scratchFolder(target: TargetName): string {
  return mkdtempSync(join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), `capture-media-fuzz-${target}-`));
}

// ---------------------------------------------------------------------------------------------
// Parent: fork one child per target (at most `parallel` at a time), watch heartbeats.

const SELF = fileURLToPath(import.meta.url);

function runTargetInChild(spec: Omit<ChildJob, 'work'>, hangMs: number, onProgress: (line: string) => void): Promise<TargetStats> {
  const job: ChildJob = { ...spec, work: scratchFolder(spec.target) };
  return new Promise<TargetStats>((resolvePromise) => {
    const child = fork(SELF, ['--child', JSON.stringify(job)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let last = job.from;
    let lastBeat = Date.now();
    let result: TargetStats | undefined;
    let fatal: string | undefined;
    let hung = false;
    let beating = false;
    const watchdog = setInterval(() => {
      // Setting a target up (wimlib-imagex, the CLI for the verify seeds) may take a while on a busy machine.
      if (Date.now() - lastBeat > (beating ? hangMs : Math.max(hangMs, 60_000))) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 250);
    child.on('message', (m: ChildMessage) => {
      lastBeat = Date.now();
      beating = true;
      if (m.type === 'beat') {
        last = m.index;
        if ((m.index - job.from) % 5000 === 0 && m.index > job.from) onProgress(`${job.target}: ${m.index - job.from}/${job.count}`);
      } else if (m.type === 'done') result = m.stats;
      else fatal = m.detail;
    });
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      rmSync(job.work, { recursive: true, force: true });
      if (result) return resolvePromise(result);
      const stats: TargetStats = { inputs: last - job.from, outcomes: {}, slowestMs: 0, slowestIndex: -1, peakRssMb: 0, failures: [] };
      stats.failures.push(
        hung
          ? { target: job.target, index: last, kind: 'hang', detail: `no heartbeat for ${hangMs} ms: one of inputs ${last}..${last + 19} never returned` }
          : { target: job.target, index: last, kind: 'crash', detail: fatal ?? `the fuzz child exited (code ${code}, signal ${signal}) near input ${last}` },
      );
      resolvePromise(stats);
    });
  });
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const targets = options.targets ?? TARGETS;
  const perTarget = Math.ceil(options.iterations / targets.length);
  const jobs = targets.map((target): Omit<ChildJob, 'work'> => ({
    target,
    seed,
    from: options.from ?? 0,
    count: perTarget,
    slowMs: options.slowMs ?? 1000,
    rssCapMb: options.rssCapMb ?? 512,
    ...(options.selfTest === undefined ? {} : { selfTest: options.selfTest }),
  }));
  const results: Partial<Record<TargetName, TargetStats>> = {};
  const queue = [...jobs];
  const parallel = Math.max(1, options.parallel ?? 2);
  const onProgress = options.onProgress ?? (() => undefined);
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        results[job.target] = await runTargetInChild(job, options.hangMs ?? 20_000, onProgress);
        const s = results[job.target]!;
        onProgress(`${job.target}: ${s.inputs} inputs, slowest ${s.slowestMs.toFixed(1)} ms (#${s.slowestIndex}), peak RSS ${s.peakRssMb.toFixed(0)} MiB, ${s.failures.length} failures`);
      }
    }),
  );
  const failures = Object.values(results).flatMap((s) => s!.failures);
  return { seed, iterations: Object.values(results).reduce((n, s) => n + s!.inputs, 0), elapsedMs: Date.now() - started, targets: results, failures };
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--child') {
    const job = JSON.parse(argv[1]!) as ChildJob;
    const send = (m: ChildMessage) => process.send?.(m);
    try {
      await runChild(job, send);
    } catch (error: unknown) {
      send({ type: 'fatal', detail: `setting up or running the ${job.target} target failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
      return 1;
    }
    return 0;
  }
  const { values } = parseArgs({
    args: [...argv],
    options: {
      iterations: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      targets: { type: 'string', default: TARGETS.join(',') },
      from: { type: 'string' },
      count: { type: 'string' },
      'slow-ms': { type: 'string', default: '1000' },
      'rss-cap-mb': { type: 'string', default: '512' },
      parallel: { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
      'self-test': { type: 'string' },
    },
    strict: true,
  });
  const targets = values.targets.split(',').map((t) => t.trim()) as TargetName[];
  for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; one of ${TARGETS.join(', ')}`);
  const count = values.count === undefined ? undefined : Number(values.count);
  const report = await runFuzz({
    iterations: count !== undefined ? count * targets.length : Number(values.iterations),
    seed: Number(values.seed),
    targets,
    ...(values.from === undefined ? {} : { from: Number(values.from) }),
    slowMs: Number(values['slow-ms']),
    rssCapMb: Number(values['rss-cap-mb']),
    parallel: Number(values.parallel),
    ...(values['self-test'] === undefined ? {} : { selfTest: values['self-test'] as SelfTest }),
    onProgress: (line) => console.error(line),
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`fuzz: ${report.iterations} inputs, seed ${report.seed}, ${(report.elapsedMs / 1000).toFixed(1)} s`);
    for (const [name, s] of Object.entries(report.targets)) {
      console.log(`  ${name.padEnd(6)} ${String(s!.inputs).padStart(7)} inputs  slowest ${s!.slowestMs.toFixed(1).padStart(7)} ms (#${s!.slowestIndex})  peak RSS ${s!.peakRssMb.toFixed(0)} MiB  outcomes ${JSON.stringify(s!.outcomes)}`);
    }
    for (const f of report.failures) console.log(`FAIL ${f.target} #${f.index} ${f.kind}: ${f.detail}${f.ops ? `\n     ops: ${f.ops.join('; ')}` : ''}`);
    console.log(report.failures.length === 0 ? 'fuzz: no failures' : `fuzz: ${report.failures.length} failures`);
  }
  return report.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      if (process.argv[2] === '--child') process.disconnect?.();
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
