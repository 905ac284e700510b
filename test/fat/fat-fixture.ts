// Shared by the FAT32 tests: a test tree on disk (test/.work/fat/<name>/tree) with the names and
// sizes that stress the writer, helpers to run the real tools, and a sparse-aware partition
// extractor (fsck.fat has no offset option, and a 40 GiB image must not be read or written whole).

import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSource } from '../../src/io/content.js';
import type { FileTree, TreeFile } from '../../src/io/file-tree.js';
import type { Fat32Layout } from '../../src/partition/fat32-disk.js';
import { xorshiftBytes } from '../helpers/xorshift.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const WORK = join(ROOT, 'test', '.work', 'fat');
export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

export const FIXED_OPTIONS = {
  label: 'Capture Med',
  volumeId: 0x1a2b3c4d,
  diskSignature: 0xcafe0001,
  recordedAt: new Date('2024-05-06T07:08:09Z'),
} as const;

/** Deterministic pseudo-random bytes (xorshift), so content differs between files and offsets. */
export function patternBytes(length: number, seed: number): Uint8Array {
  return xorshiftBytes(length, (seed * 2654435761) >>> 0);
}

/** Relative paths (with '/') of the files and the empty directories the tree holds. */
export interface TreeSpec {
  readonly files: ReadonlyMap<string, number>;
  readonly emptyDirectories: readonly string[];
}

export function standardSpec(): TreeSpec {
  const files = new Map<string, number>();
  const add = (path: string, size: number): void => void files.set(path, size);
  add('README.TXT', 10); // a valid upper-case 8.3 name: no long name
  add('notes.txt', 5); // lower-case 8.3: NT case bits, no long name
  add('Mixed.Txt', 6); // mixed case: long name + MIXED.TXT
  add('with space.txt', 7);
  add('.hidden-leading-dot', 8);
  add('a+b,c;d=e[1].txt', 9); // characters legal only in long names
  add('ThirteenChars', 13); // exactly one full LFN entry, no terminator
  add('TwentySixCharactersLong.ab', 26); // two full LFN entries
  add('A very long file name that goes well past thirteen characters.bin', 100);
  add('Ünïcödé naïve – 日本語.txt', 33);
  add('archive.tar.gz', 44);
  for (const name of ['Program Files', 'Program Filez', 'Program Filey', 'Program Filex', 'Program Filew', 'ProgramFiles', 'PROGRA~1']) {
    add(`${name}/inside.txt`, name.length);
  }
  for (const size of [0, 1, 511, 512, 513, 4095, 4096, 4097, 32767, 32768, 32769, 3 * MIB + 7]) add(`sizes/size-${size}.bin`, size);
  add('deep/level1/level2/level3/level4/file at the bottom.txt', 1234);
  add('efi/boot/bootx64.efi', 70000);
  add('sources/boot.wim', 2 * MIB + 3);
  for (let i = 0; i < 400; i++) add(`many/file number ${String(i).padStart(3, '0')}.txt`, i % 17);
  return { files, emptyDirectories: ['empty dir', 'deep/empty', 'EMPTY2'] };
}

/** Write the spec's files under `dir` (once per test run) and return the FileTree for them. */
export function materialise(spec: TreeSpec, dir: string): FileTree {
  rmSync(dir, { recursive: true, force: true });
  const files: TreeFile[] = [];
  let seed = 1;
  for (const [path, size] of spec.files) {
    const full = join(dir, ...path.split('/'));
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, patternBytes(size, seed++));
    files.push({ path: path.split('/'), content: fileSource(full, size), hidden: path === '.hidden-leading-dot' });
  }
  for (const d of spec.emptyDirectories) mkdirSync(join(dir, ...d.split('/')), { recursive: true });
  return { files, directories: spec.emptyDirectories.map((d) => d.split('/')) };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every file under `dir` as relative path -> SHA-256, and every directory. */
export function hashTree(dir: string): { files: Map<string, string>; directories: Set<string> } {
  const files = new Map<string, string>();
  const directories = new Set<string>();
  const walk = (at: string, rel: string): void => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) {
        directories.add(r);
        walk(full, r);
      } else files.set(r, sha256(readFileSync(full)));
    }
  };
  walk(dir, '');
  return { files, directories };
}

export function run(command: string, args: readonly string[], options: { allowFail?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 64 * MIB });
  if (result.error) throw result.error;
  const out = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  if (!options.allowFail && out.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
  }
  return out;
}

export function tool(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 64 * MIB });
}

/**
 * Copy the partition of `image` to `target` as a bare volume: the bytes up to the end of the last
 * used cluster are copied, the rest is a hole (our images never write free clusters).
 */
export async function extractPartition(image: string, layout: Fat32Layout, target: string): Promise<void> {
  const g = layout.geometry;
  const usedEnd = (g.dataStartSector + layout.usedClusterCount * g.sectorsPerCluster) * 512;
  const source = await open(image, 'r');
  const dest = await open(target, 'w');
  try {
    const buffer = Buffer.alloc(4 * MIB);
    for (let at = 0; at < usedEnd; at += buffer.length) {
      const n = Math.min(buffer.length, usedEnd - at);
      const { bytesRead } = await source.read(buffer, 0, n, layout.partitionOffsetBytes + at);
      await dest.write(buffer, 0, bytesRead, at);
    }
    await dest.truncate(layout.partitionSizeBytes);
  } finally {
    await source.close();
    await dest.close();
  }
}

/** mdir -/ output -> set of "dir/name" (long name when present, else the 8.3 name as shown). */
export function parseMdir(output: string): Set<string> {
  const entries = new Set<string>();
  let dir = '';
  for (const line of output.split('\n')) {
    const header = /^Directory for ::\/(.*)$/.exec(line);
    if (header) {
      dir = header[1]!.replace(/\/$/, '');
      continue;
    }
    const m = /^(.{8}) (.{3}) +(<DIR>|\d+) +\d{4}-\d\d-\d\d +\d+:\d\d(?: {1,2}(.*))?$/.exec(line);
    if (!m) continue;
    const base = m[1]!.trimEnd();
    const ext = m[2]!.trimEnd();
    const long = m[4]?.trimEnd();
    const name = long ? long : ext ? `${base}.${ext}` : base;
    if (name === '.' || name === '..') continue;
    entries.add(dir ? `${dir}/${name}` : name);
  }
  return entries;
}

/** Every path the spec implies: files, their parent directories, and the empty directories. */
export function expectedEntries(spec: TreeSpec): Set<string> {
  const out = new Set<string>();
  const addDirs = (path: string): void => {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'));
  };
  for (const path of spec.files.keys()) {
    out.add(path);
    addDirs(path.split('/').slice(0, -1).join('/'));
  }
  for (const d of spec.emptyDirectories) addDirs(d);
  out.delete('');
  return out;
}
