// The media manifest (docs/manifest.md): a JSON file at the root of every medium we write, listing
// every file of the media set with its size, the disc it is on, and - for the files on this disc -
// its SHA-256. Verification (ours, or anyone's with Get-FileHash) compares against it.
//
// One pass: hashes are computed while the files stream into the writer, and the manifest is the
// last file emitted (TreeFile.emitLast). Its size must be known before that, so the JSON has a fixed
// shape: every hash is exactly 64 hex digits, and the plan renders it once with placeholders.

import { createHash } from 'node:crypto';
import { createStreamHash } from '../io/stream-hash.js';
import { CaptureMediaError } from '../errors.js';
import type { ContentSource } from '../io/content.js';
import type { TreeFile } from '../io/file-tree.js';
import { MANIFEST_MEDIA_PATH } from './configmgr-names.js';

export const MANIFEST_FORMAT = 'capture-media-manifest/1';

export interface ManifestFileEntry {
  readonly path: string;
  readonly size: number;
  readonly disc: number;
  /** Uppercase hex (as Get-FileHash prints it); null for files on another disc of the set. */
  readonly sha256: string | null;
}

export interface Manifest {
  readonly format: string;
  readonly label: string;
  readonly createdBy: string;
  readonly created: string;
  readonly disc: number;
  readonly discCount: number;
  /** Names the disc set (the same on every disc of one set); absent before sets carried one, and on USB media. */
  readonly setId?: string;
  readonly files: readonly ManifestFileEntry[];
}

export const manifestPath = (path: readonly string[]): string => path.join('/');

/** Wraps a file's content so its SHA-256 is recorded as it streams past (no second read). */
export class HashRecorder {
  readonly #hashes = new Map<string, string>();

  wrap(file: TreeFile): TreeFile {
    const key = manifestPath(file.path);
    const inner = file.content;
    const hashes = this.#hashes;
    // Writers give an empty file no extent and never stream it: its hash is known now.
    if (inner.sizeBytes === 0) hashes.set(key, createHash('sha256').digest('hex').toUpperCase());
    const content: ContentSource = {
      sizeBytes: inner.sizeBytes,
      ...(inner.prefetch ? { prefetch: () => inner.prefetch?.() } : {}),
      async *stream(signal?: AbortSignal) {
        // Bytes whose SHA-256 the source checks itself (a FileLib blob): no second hash pass.
        if (inner.checkedSha256 !== undefined) {
          let total = 0;
          for await (const chunk of inner.stream(signal)) {
            total += chunk.length;
            yield chunk;
          }
          if (total === inner.sizeBytes) hashes.set(key, inner.checkedSha256.toUpperCase());
          return;
        }
        const hash = createStreamHash('sha256', inner.sizeBytes);
        let total = 0;
        for await (const chunk of inner.stream(signal)) {
          await hash.update(chunk);
          total += chunk.length;
          yield chunk;
        }
        const hex = await hash.digest();
        if (total === inner.sizeBytes) hashes.set(key, hex.toUpperCase());
      },
    };
    return { ...file, content };
  }

  get(path: string): string | undefined {
    return this.#hashes.get(path);
  }
}

export interface ManifestPlan {
  readonly label: string;
  readonly createdBy: string;
  readonly created: Date;
  readonly disc: number;
  readonly discCount: number;
  readonly setId?: string;
  /** Every file of the set (not the manifests themselves) with its disc number. */
  readonly files: readonly { path: readonly string[]; size: number; disc: number }[];
}

export function renderManifest(plan: ManifestPlan, hashOf: (path: string) => string | null): string {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    label: plan.label,
    createdBy: plan.createdBy,
    created: plan.created.toISOString(),
    disc: plan.disc,
    discCount: plan.discCount,
    ...(plan.setId === undefined ? {} : { setId: plan.setId }),
    files: plan.files.map((f) => {
      const path = manifestPath(f.path);
      return { path, size: f.size, disc: f.disc, sha256: f.disc === plan.disc ? hashOf(path) : null };
    }),
  };
  return `${JSON.stringify(manifest, null, 1)}\n`;
}

/** The manifest file for one disc: fixed size now, real hashes when it is emitted (last). */
export function manifestTreeFile(plan: ManifestPlan, recorder: HashRecorder): TreeFile {
  const placeholder = 'F'.repeat(64);
  const sizeBytes = Buffer.byteLength(renderManifest(plan, () => placeholder));
  const content: ContentSource = {
    sizeBytes,
    async *stream() {
      const text = renderManifest(plan, (path) => {
        const h = recorder.get(path);
        if (h === undefined) {
          throw new CaptureMediaError('InternalError', `The manifest was emitted before ${path} was hashed; the writer did not honour emitLast.`);
        }
        return h;
      });
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length !== sizeBytes) throw new CaptureMediaError('InternalError', 'The manifest changed size between plan and emit.');
      yield bytes;
    },
  };
  return { path: MANIFEST_MEDIA_PATH, content, modified: plan.created, emitLast: true };
}

export function parseManifest(text: string, where: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new CaptureMediaError('MediaInvalid', `The manifest on ${where} is not valid JSON.`, { target: where, cause: error });
  }
  const m = value as Partial<Manifest>;
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.files) || typeof m.disc !== 'number' || typeof m.discCount !== 'number' || (m.setId !== undefined && typeof m.setId !== 'string')) {
    throw new CaptureMediaError('MediaInvalid', `${where} has no ${MANIFEST_FORMAT} manifest: it was not written by capture-media.`, { target: where });
  }
  for (const f of m.files) {
    if (typeof f?.path !== 'string' || typeof f.size !== 'number' || typeof f.disc !== 'number' || (f.sha256 !== null && !/^[0-9A-F]{64}$/.test(String(f.sha256)))) {
      throw new CaptureMediaError('MediaInvalid', `The manifest on ${where} has a malformed entry.`, { target: where });
    }
  }
  return m as Manifest;
}
