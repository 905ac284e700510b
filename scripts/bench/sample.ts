// Builds (or reuses) the benchmark's sample content library (docs/benchmarks.md): a WinPE-shaped
// boot.wim of `payloadMiB` MiB of incompressible, deterministic bytes (AES-128-CTR keystream
// from a fixed seed, so every build holds the same file contents; only the WIM's GUID and
// timestamps differ) plus ~2,000 small,
// partly compressible files under sms/bin/x64/… that end up on the media, wrapped in a
// content library as package PKG00001 version 1.
//
//   node dist/scripts/bench/sample.js --dir .bench/0.5g --payload-mib 512 [--small-files 2000]
//
// The result is cached: <dir>/sample.json is written last and records the inputs; when it
// matches, nothing is rebuilt. The tree and the standalone WIM are deleted once the library
// holds the WIM (the FileLib blob *is* the WIM, byte for byte).

import { createCipheriv, createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeContentLibrary } from '../make-content-library.js';

export interface SampleOptions {
  readonly dir: string;
  readonly payloadMiB: number;
  readonly smallFiles?: number;
  readonly seed?: string;
}

export interface Sample {
  readonly libraryRoot: string;
  readonly packageId: string;
  /** The boot.wim's FileLib blob (a plain WIM file). */
  readonly wimPath: string;
  readonly wimBytes: number;
  readonly smallFiles: number;
  readonly payloadMiB: number;
}

/** Bumped when the generator's output changes, so that cached samples are rebuilt. */
const GENERATOR_VERSION = 1;
const PACKAGE_ID = 'PKG00001';
const PAYLOAD_FILE_MIB = 64;

const BOOT_FILES: Readonly<Record<string, number>> = {
  'Windows/Boot/PCAT/bootmgr': 413_738,
  'Windows/Boot/EFI/bootmgfw.efi': 2_781_160,
  'Windows/Boot/EFI/bootmgr.efi': 2_781_160,
  'Windows/Boot/DVD/EFI/BCD': 16_384,
  'Windows/Boot/DVD/EFI/en-US/efisys.bin': 1_474_560,
  'Windows/Boot/DVD/PCAT/BCD': 16_384,
  'Windows/Boot/DVD/PCAT/boot.sdi': 3_170_304,
  'Windows/Boot/DVD/PCAT/etfsboot.com': 4_096,
  'Windows/Boot/Fonts/segmono_boot.ttf': 42_756,
  'Windows/Boot/Fonts/wgl4_boot.ttf': 47_452,
  'Windows/Boot/Fonts/segoe_slboot.ttf': 62_368,
  'Windows/System32/winpeshl.ini': 100,
};

/** A deterministic byte stream: AES-128-CTR over zeros, keyed by (seed, label). */
class KeyStream {
  readonly #cipher;
  constructor(seed: string, label: string) {
    const key = createHash('sha256').update(`${seed}/${label}`).digest();
    this.#cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  }
  next(bytes: number): Buffer {
    return this.#cipher.update(Buffer.alloc(bytes));
  }
}

/** Small-file names and sizes: 40 folders of ~50 files, 1 KiB–96 KiB, like sms/bin/x64. */
function smallFileList(count: number, seed: string): { path: string; size: number }[] {
  const rng = new KeyStream(seed, 'sizes').next(count * 4);
  const folders = ['', 'en-US', '00000409', 'i386', 'OSD', 'TsProgressUI', 'CcmExec', 'Policy', 'Drivers', 'Scripts'];
  const out: { path: string; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    const folder = folders[i % folders.length]!;
    const sub = `${folder ? folder + '/' : ''}group${String(Math.floor(i / 50)).padStart(2, '0')}`;
    const ext = ['dll', 'exe', 'mui', 'xml', 'ini', 'mof'][i % 6]!;
    const size = 1024 + (rng.readUInt32LE(i * 4) % (95 * 1024));
    out.push({ path: `sms/bin/x64/${sub}/TsComponent${String(i).padStart(4, '0')}.${ext}`, size });
  }
  return out;
}

/** Half random, half repeated text: compresses to roughly 55 % like a mix of PE files. */
function smallFileBytes(stream: KeyStream, path: string, size: number): Buffer {
  const half = Math.floor(size / 2);
  const text = Buffer.alloc(size - half, `${path}: capture-media bench sample text line\r\n`);
  return Buffer.concat([stream.next(half), text]);
}

async function writeTree(tree: string, options: Required<SampleOptions>): Promise<void> {
  const stream = new KeyStream(options.seed, 'files');
  const entries = [...Object.entries(BOOT_FILES).map(([path, size]) => ({ path, size })), ...smallFileList(options.smallFiles, options.seed)];
  for (const { path, size } of entries) {
    const full = join(tree, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, smallFileBytes(stream, path, size));
  }
  // The bulk: incompressible payload files of 64 MiB (WinPE's own files stand in for these).
  const payload = new KeyStream(options.seed, 'payload');
  await mkdir(join(tree, 'Windows/System32/payload'), { recursive: true });
  let left = options.payloadMiB;
  for (let n = 0; left > 0; n++) {
    const mib = Math.min(left, PAYLOAD_FILE_MIB);
    const handle = await open(join(tree, `Windows/System32/payload/blob${String(n).padStart(3, '0')}.bin`), 'w');
    try {
      for (let i = 0; i < mib; i++) await handle.write(payload.next(1024 * 1024));
    } finally {
      await handle.close();
    }
    left -= mib;
  }
}

export async function buildSample(input: SampleOptions): Promise<Sample> {
  const options: Required<SampleOptions> = { smallFiles: 2000, seed: 'capture-media-bench', ...input, dir: resolve(input.dir) };
  const stampPath = join(options.dir, 'sample.json');
  const key = { generator: GENERATOR_VERSION, payloadMiB: options.payloadMiB, smallFiles: options.smallFiles, seed: options.seed };
  if (existsSync(stampPath)) {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { key: unknown; sample: Sample };
    if (JSON.stringify(stamp.key) === JSON.stringify(key) && existsSync(stamp.sample.wimPath)) return stamp.sample;
  }
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });
  const tree = join(options.dir, 'tree');
  const wim = join(options.dir, 'boot.wim');
  const libraryRoot = join(options.dir, 'lib');
  process.stderr.write(`bench: generating the ${options.payloadMiB} MiB sample tree in ${tree}\n`);
  await writeTree(tree, options);
  process.stderr.write(`bench: wimlib-imagex capture (LZX) -> ${wim}\n`);
  execFileSync('wimlib-imagex', ['capture', tree, wim, 'Microsoft Windows PE (x64)', '--compress=LZX', '--boot', '--image-property', 'WINDOWS/ARCH=9'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await rm(tree, { recursive: true, force: true });
  const made = await makeContentLibrary({
    root: libraryRoot,
    packageId: PACKAGE_ID,
    version: 1,
    files: [{ source: wim, name: `boot.${PACKAGE_ID}.wim`, modified: new Date('2024-01-01T00:00:00Z') }],
  });
  await rm(wim, { force: true });
  const blob = made.files[0]!;
  const sample: Sample = {
    libraryRoot,
    packageId: PACKAGE_ID,
    wimPath: blob.blobPath,
    wimBytes: blob.sizeBytes,
    smallFiles: options.smallFiles,
    payloadMiB: options.payloadMiB,
  };
  await writeFile(stampPath, JSON.stringify({ key, sample }, null, 2) + '\n');
  return sample;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, 'payload-mib': { type: 'string' }, 'small-files': { type: 'string' } },
  });
  if (!values.dir || !values['payload-mib']) throw new Error('usage: sample.js --dir DIR --payload-mib N [--small-files N]');
  const sample = await buildSample({
    dir: values.dir,
    payloadMiB: Number(values['payload-mib']),
    ...(values['small-files'] ? { smallFiles: Number(values['small-files']) } : {}),
  });
  process.stdout.write(JSON.stringify(sample) + '\n');
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) await main(process.argv.slice(2));
