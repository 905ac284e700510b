// Test fixtures for the ISO writer: a source tree on disk with the awkward cases (long, unicode,
// mixed-case and colliding names, empty files and directories, sizes at the sector edges, a deep
// path), a fake 2-sector etfsboot.com and a real FAT image (mkfs.fat -C) as efisys.bin; and small
// wrappers around the real tools the suite checks our output with.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, readFileSync, createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferSource, fileSource, type ContentSource } from '../../src/io/content.js';
import type { FileTree, TreeFile } from '../../src/io/file-tree.js';
import { FileSink, type ByteSink } from '../../src/io/sink.js';
import { emitIso, planIso, type IsoLayout, type IsoOptions } from '../../src/iso/index.js';
import { xorshiftBytes } from '../helpers/xorshift.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A fresh directory under test/.work/iso (gitignored), unique per test process. */
export function workDir(name: string): string {
  const dir = join(REPO_ROOT, 'test', '.work', 'iso', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Deterministic pseudo-random bytes (xorshift32 seeded from a string). */
export function patternBytes(seed: string, length: number): Uint8Array {
  let x = 2166136261; // FNV-1a of the seed string
  for (const ch of seed) x = Math.imul(x ^ ch.charCodeAt(0), 16777619) >>> 0;
  return xorshiftBytes(length, x);
}

export const BIOS_BOOT_PATH = ['boot', 'etfsboot.com'] as const;
export const UEFI_BOOT_PATH = ['efi', 'microsoft', 'boot', 'efisys.bin'] as const;
export const LONG_JOLIET_NAME = 'This file name is deliberately longer than the sixty-four characters Joliet allows.txt';

/** [path, size] of every file in the full fixture tree (sizes: 0, 1, 2047, 2048, 2049, MiB). */
export const FIXTURE_FILES: readonly (readonly [readonly string[], number])[] = [
  [['bootmgr'], 3000],
  [['bootmgr.efi'], 5000],
  [['MediaLabel.txt'], 27],
  [['sizes', 'zero.bin'], 0],
  [['sizes', 'one.bin'], 1],
  [['sizes', 'sector-minus-one.bin'], 2047],
  [['sizes', 'sector.bin'], 2048],
  [['sizes', 'sector-plus-one.bin'], 2049],
  [['sources', 'boot.wim'], 3 * 1024 * 1024 + 123],
  [['Long File Name With Spaces and Mixed Case.txt'], 100],
  [['A directory name longer than thirty-one characters', 'nested file.Data'], 10],
  [['names', LONG_JOLIET_NAME], 64],
  [['names', 'Ünïcödé ファイル 😀.txt'], 33],
  [['names', 'data-file.txt'], 5],
  [['names', 'data_file.txt'], 6],
  [['names', 'Mixed.Case.Name.tar.gz'], 7],
  [['names', '.hidden-dot-file'], 8],
  [['names', 'no extension'], 9],
  [['SMS', 'bin', 'x64', 'TsmBootstrap.exe'], 4097],
  [['SMS', 'data', 'TsmBootstrap.ini'], 120],
  [['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'deep file.txt'], 42],
];
export const FIXTURE_EMPTY_DIRS: readonly (readonly string[])[] = [['empty dir'], ['SMS', 'empty', 'inner empty']];

export interface Fixture {
  readonly root: string;
  readonly tree: FileTree;
  readonly efiSizeBytes: number;
}

/** Write the source tree under `dir/src` and describe it as a FileTree of file sources. */
export function buildFixture(dir: string, options: { bios?: boolean; uefi?: boolean; extra?: boolean } = {}): Fixture {
  const root = join(dir, 'src');
  mkdirSync(root, { recursive: true });
  const files: TreeFile[] = [];
  const add = (path: readonly string[], bytes: Uint8Array, extra: Partial<TreeFile> = {}): void => {
    const full = join(root, ...path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    files.push({ path, content: fileSource(full, bytes.length), ...extra });
  };
  if (options.extra !== false) {
    for (const [path, size] of FIXTURE_FILES) {
      const hidden = path[path.length - 1] === '.hidden-dot-file';
      add(path, patternBytes(path.join('/'), size), hidden ? { hidden: true, modified: new Date('2001-02-03T04:05:06Z') } : {});
    }
  }
  // A 2-sector no-emulation boot file (etfsboot.com is 4 sectors of 512 bytes on real media).
  if (options.bios !== false) add(BIOS_BOOT_PATH, patternBytes('etfsboot', 4096));
  let efiSizeBytes = 0;
  if (options.uefi !== false) {
    const efi = join(dir, 'efisys.bin');
    run('mkfs.fat', ['-C', '-i', '12345678', '-n', 'EFISYS', efi, '1440']);
    const bytes = readFileSync(efi);
    efiSizeBytes = bytes.length;
    add(UEFI_BOOT_PATH, bytes);
  }
  return { root, tree: { files, directories: FIXTURE_EMPTY_DIRS }, efiSizeBytes };
}

export const RECORDED_AT = new Date('2024-05-06T07:08:09Z');

export function isoOptions(extra: Partial<IsoOptions> = {}): IsoOptions {
  return {
    volumeLabel: 'CONFIGURATION_MANAGER',
    jolietLabel: 'Configuration Ma',
    recordedAt: RECORDED_AT,
    applicationId: 'capture-media test',
    bootBios: { path: BIOS_BOOT_PATH },
    bootUefi: { path: UEFI_BOOT_PATH },
    ...extra,
  };
}

export async function writeIso(tree: FileTree, options: IsoOptions, path: string): Promise<IsoLayout> {
  const layout = planIso(tree, options);
  rmSync(path, { force: true });
  const sink = await FileSink.create(path);
  try {
    await emitIso(layout, sink);
    await sink.close();
  } catch (error: unknown) {
    await sink.abandon();
    throw error;
  }
  return layout;
}

/** A sink that only hashes what it is given (determinism checks without writing files). */
export class HashSink implements ByteSink {
  #position = 0;
  readonly #hash = createHash('sha256');

  get position(): number {
    return this.#position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#hash.update(chunk);
    this.#position += chunk.length;
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}

/** A ContentSource claiming `sizeBytes` without ever producing them (planning needs sizes only). */
export function hugeSource(sizeBytes: number): ContentSource {
  return {
    sizeBytes,
    // eslint-disable-next-line require-yield
    async *stream() {
      throw new Error('a huge source must never be streamed');
    },
  };
}

export function memorySource(bytes: Uint8Array): ContentSource {
  return bufferSource(bytes);
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Run a real tool; throws with its output when it fails. */
export function run(command: string, args: readonly string[], allowFailure = false): RunResult {
  const result = spawnSync(command, args, { maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  const out = { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
  if (!allowFailure && result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${out.stdout.toString('utf8')}\n${out.stderr}`);
  }
  return out;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export async function sha256Stream(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

export interface ElToritoImage {
  readonly index: number;
  readonly platform: string;
  readonly bootable: string;
  readonly emulation: string;
  readonly loadSegment: number;
  readonly loadSize: number;
  readonly lba: number;
}

/** Parse `xorriso -report_el_torito plain` "El Torito boot img" lines. */
export function xorrisoElTorito(iso: string): { images: ElToritoImage[]; paths: Map<number, string>; text: string } {
  const text = run('xorriso', ['-indev', iso, '-report_el_torito', 'plain']).stdout.toString('utf8');
  const images: ElToritoImage[] = [];
  const paths = new Map<number, string>();
  for (const line of text.split('\n')) {
    const img = /^El Torito boot img :\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\d+)\s+(\d+)/u.exec(line);
    if (img) {
      images.push({
        index: Number(img[1]),
        platform: img[2]!,
        bootable: img[3]!,
        emulation: img[4]!,
        loadSegment: Number(img[5]),
        loadSize: Number(img[7]),
        lba: Number(img[8]),
      });
    }
    const path = /^El Torito img path :\s+(\d+)\s+(.*)$/u.exec(line);
    if (path) paths.set(Number(path[1]), path[2]!);
  }
  return { images, paths, text };
}
