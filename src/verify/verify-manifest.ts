// Read-back verification ("verify what was written"; docs/manifest.md): read the manifest from the
// medium itself, hash every file the manifest places on this disc as it streams back, and compare.
// The reader is the format's (ISO, FAT32, a mounted folder); this module only compares.

import { createStreamHash } from '../io/stream-hash.js';
import { CaptureMediaError, throwIfAborted } from '../errors.js';
import { MANIFEST_MEDIA_PATH } from '../layout/configmgr-names.js';
import { manifestPath, parseManifest, type Manifest } from '../layout/manifest.js';
import { ProgressMeter, type ProgressListener } from '../io/progress.js';
import { readWhole } from '../io/content.js';

export interface MediaFileView {
  readonly path: readonly string[];
  readonly sizeBytes: number;
}

export interface MediaView<F extends MediaFileView> {
  /** What to call the medium in messages (a file path, a device). */
  readonly where: string;
  readonly files: readonly F[];
  openFile(file: F, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

export interface VerifyOutcome {
  readonly manifest: Manifest;
  readonly files: number;
  readonly bytes: number;
  /** Set by verifiers that read a file or device: true when the reads bypassed the page cache (O_DIRECT). */
  readonly readsBypassedCache?: boolean;
  /** Why they did not (the file system refused O_DIRECT, …), for the log. */
  readonly cachedReadsReason?: string;
}

export interface VerifyOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** A -NoFormat drive may hold other files too; our own ISOs and images may not. */
  readonly allowForeignFiles?: boolean;
  /** Progress percent is reported over this many bytes (several discs share one meter). */
  readonly status?: string;
  /** false: read through the page cache, not O_DIRECT (tests; a file system known to misbehave). */
  readonly direct?: boolean;
}

/** How the medium was read, for the log: past the page cache, or through it and why. */
export function describeReads(outcome: VerifyOutcome): string {
  if (outcome.readsBypassedCache === undefined) return '';
  return outcome.readsBypassedCache ? ' (read from the disk, past the page cache)' : ` (read through the page cache: ${outcome.cachedReadsReason ?? 'unbuffered reads unavailable'})`;
}

const key = (path: readonly string[] | string): string => (typeof path === 'string' ? path : manifestPath(path)).toLowerCase();


export async function verifyAgainstManifest<F extends MediaFileView>(view: MediaView<F>, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const byKey = new Map(view.files.map((f) => [key(f.path), f] as const));
  const manifestFile = byKey.get(key(MANIFEST_MEDIA_PATH));
  if (!manifestFile) {
    throw new CaptureMediaError('VerifyFailed', `${view.where} has no ${MANIFEST_MEDIA_PATH.join('/')}: it was not written by capture-media, or the write did not finish.`, {
      target: view.where,
    });
  }
  if (manifestFile.sizeBytes > 64 * 1024 * 1024) throw new CaptureMediaError('MediaInvalid', `The manifest on ${view.where} is implausibly large.`, { target: view.where });
  const manifest = parseManifest((await readWhole(view.openFile(manifestFile, options.signal), manifestFile.sizeBytes)).toString('utf8'), view.where);
  const mine = manifest.files.filter((f) => f.disc === manifest.disc);
  const total = mine.reduce((s, f) => s + f.size, 0);
  const meter = new ProgressMeter('verify', total, options.onProgress, options.status ?? `Verifying ${view.where}`);
  meter.start();

  const expected = new Set<string>([key(MANIFEST_MEDIA_PATH)]);
  for (const entry of mine) {
    throwIfAborted(options.signal);
    expected.add(key(entry.path));
    const file = byKey.get(key(entry.path));
    if (!file) throw new CaptureMediaError('VerifyFailed', `${entry.path} is missing from ${view.where}.`, { target: entry.path });
    if (file.sizeBytes !== entry.size) {
      throw new CaptureMediaError('VerifyFailed', `${entry.path} on ${view.where} is ${file.sizeBytes} bytes; the manifest says ${entry.size}.`, { target: entry.path });
    }
    const hash = createStreamHash('sha256', file.sizeBytes);
    for await (const chunk of view.openFile(file, options.signal)) {
      await hash.update(chunk);
      meter.add(chunk.length);
    }
    const actual = (await hash.digest()).toUpperCase();
    if (actual !== entry.sha256) {
      throw new CaptureMediaError('VerifyFailed', `${entry.path} on ${view.where} does not match the manifest (SHA-256 ${actual}, expected ${entry.sha256}).`, {
        target: entry.path,
      });
    }
  }
  if (!options.allowForeignFiles) {
    const extra = view.files.filter((f) => !expected.has(key(f.path)));
    if (extra.length > 0) {
      throw new CaptureMediaError('VerifyFailed', `${view.where} holds files the manifest does not list: ${extra.slice(0, 5).map((f) => manifestPath(f.path)).join(', ')}.`, {
        target: view.where,
      });
    }
  }
  meter.finish();
  return { manifest, files: mine.length, bytes: total };
}
