// Compare-CaptureMedia / `capture-media compare`: our media against media the ConfigMgr console
// made, file by file — files only on one side, files whose size or SHA-256 differ — plus the El
// Torito entries (platform, boot image, load size), the volume labels (ISO 9660, Joliet, UDF, FAT)
// and the TsmBootstrap.ini keys side by side. Differences the caller expects (`-ExpectDifferent
// 'sources\boot.wim'`, wildcards allowed) are still listed, marked Expected; the media count as
// the same when every difference is expected.

import { CaptureMediaError, throwIfAborted } from '../errors.js';
import { createStreamHash } from '../io/stream-hash.js';
import { MANIFEST_MEDIA_PATH, TSM_BOOTSTRAP_MEDIA_PATH } from '../layout/configmgr-names.js';
import type { MediumFile, OpenedMedium } from '../medium/open-medium.js';
import { parseIni } from '../source/ini.js';
import { readWhole } from '../io/content.js';

export type DifferenceKind = 'OnlyInReference' | 'OnlyInDifference' | 'Size' | 'Content' | 'ElTorito' | 'Label' | 'TsmBootstrap';

export interface MediaDifference {
  readonly Kind: DifferenceKind;
  /** A media path (backslashes), or what was compared: 'El Torito entry 1', 'Label (Joliet)', 'TsmBootstrap.ini [MediaInfo] MediaType'. */
  readonly Path: string;
  readonly Reference: string | null;
  readonly Difference: string | null;
  readonly Expected: boolean;
}

export interface IniKeyRow {
  readonly Section: string;
  readonly Key: string;
  readonly Reference: string | null;
  readonly Difference: string | null;
}

export interface CompareResult {
  readonly [key: string]: unknown;
  readonly ReferencePath: string;
  readonly DifferencePath: string;
  readonly ReferenceFileSystem: string;
  readonly DifferenceFileSystem: string;
  /** True when every difference found was expected. */
  readonly Same: boolean;
  readonly FilesCompared: number;
  readonly Differences: readonly MediaDifference[];
  readonly TsmBootstrap: readonly IniKeyRow[];
}

export interface CompareOptions {
  /** Media paths or names (wildcards * and ?) whose differences are expected. */
  readonly expectDifferent?: readonly string[];
  readonly signal?: AbortSignal;
}

const MAX_INI_BYTES = 1024 * 1024;

export const displayPath = (path: readonly string[]): string => path.join('\\');
const key = (path: readonly string[]): string => displayPath(path).toLowerCase();

/** Turn `sources\boot.wim`, `efi\*`, `Label*` into a case-insensitive matcher; / and \ are the same. */
export function expectationMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map((p) => {
    const body = p
      .replaceAll('/', '\\')
      .replace(/^\\+/, '')
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${body}$`, 'iu');
  });
  return (name) => regexes.some((r) => r.test(name));
}

async function sha256(medium: OpenedMedium, file: MediumFile, signal?: AbortSignal): Promise<string> {
  const hash = createStreamHash('sha256', file.sizeBytes);
  for await (const chunk of medium.openFile(file, signal)) await hash.update(chunk);
  return (await hash.digest()).toUpperCase();
}

async function readSmall(medium: OpenedMedium, file: MediumFile, signal?: AbortSignal): Promise<Buffer> {
  if (file.sizeBytes > MAX_INI_BYTES) throw new CaptureMediaError('MediaInvalid', `${medium.path}: ${displayPath(file.path)} is ${file.sizeBytes} bytes, too large for a TsmBootstrap.ini.`, { target: medium.path });
  return readWhole(medium.openFile(file, signal), file.sizeBytes);
}

async function iniRows(reference: OpenedMedium, difference: OpenedMedium, signal?: AbortSignal): Promise<IniKeyRow[]> {
  const load = async (m: OpenedMedium) => {
    const file = m.files.find((f) => key(f.path) === key(TSM_BOOTSTRAP_MEDIA_PATH));
    return file === undefined ? undefined : parseIni(await readSmall(m, file, signal), `${m.path}: ${displayPath(file.path)}`);
  };
  const [a, b] = [await load(reference), await load(difference)];
  const rows: IniKeyRow[] = [];
  const seen = new Set<string>();
  for (const ini of [a, b]) {
    for (const section of ini?.sections ?? []) {
      for (const entry of section.entries) {
        const id = `${section.name.toLowerCase()}\0${entry.key.toLowerCase()}`;
        if (seen.has(id)) continue;
        seen.add(id);
        rows.push({
          Section: section.name,
          Key: entry.key,
          Reference: a?.section(section.name)?.get(entry.key) ?? null,
          Difference: b?.section(section.name)?.get(entry.key) ?? null,
        });
      }
    }
  }
  return rows;
}

const bootEntryText = (e: { platformId: number; mediaType: number; loadSectors: number; image: string | undefined }): string =>
  `platform 0x${e.platformId.toString(16).padStart(2, '0').toUpperCase()}, ${e.mediaType === 0 ? 'no emulation' : `media type ${e.mediaType}`}, image ${e.image ?? '(no file)'}, load ${e.loadSectors} sectors`;

export async function compareMedia(reference: OpenedMedium, difference: OpenedMedium, options: CompareOptions = {}): Promise<CompareResult> {
  const expected = expectationMatcher(options.expectDifferent ?? []);
  const differences: MediaDifference[] = [];
  const add = (Kind: DifferenceKind, Path: string, Reference: string | null, Difference: string | null, alwaysExpected = false) =>
    differences.push({ Kind, Path, Reference, Difference, Expected: alwaysExpected || expected(Path) });

  const refFiles = new Map(reference.files.map((f) => [key(f.path), f] as const));
  const difFiles = new Map(difference.files.map((f) => [key(f.path), f] as const));
  // Our manifest is our own addition to every medium (docs/manifest.md): listed, never counted.
  const ours = key(MANIFEST_MEDIA_PATH);
  let compared = 0;
  for (const [k, ref] of [...refFiles].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    throwIfAborted(options.signal);
    const dif = difFiles.get(k);
    if (dif === undefined) {
      add('OnlyInReference', displayPath(ref.path), `${ref.sizeBytes} bytes`, null, k === ours);
      continue;
    }
    compared += 1;
    if (ref.sizeBytes !== dif.sizeBytes) {
      add('Size', displayPath(ref.path), `${ref.sizeBytes} bytes`, `${dif.sizeBytes} bytes`, k === ours);
      continue;
    }
    const [a, b] = [await sha256(reference, ref, options.signal), await sha256(difference, dif, options.signal)];
    if (a !== b) add('Content', displayPath(ref.path), `SHA-256 ${a}`, `SHA-256 ${b}`, k === ours);
  }
  for (const [k, dif] of [...difFiles].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (!refFiles.has(k)) add('OnlyInDifference', displayPath(dif.path), null, `${dif.sizeBytes} bytes`, k === ours);
  }

  const refBoot = reference.bootEntries ?? [];
  const difBoot = difference.bootEntries ?? [];
  for (let i = 0; i < Math.max(refBoot.length, difBoot.length); i++) {
    const [a, b] = [refBoot[i] ? bootEntryText(refBoot[i]!) : null, difBoot[i] ? bootEntryText(difBoot[i]!) : null];
    if (a !== b) add('ElTorito', `El Torito entry ${i + 1}`, a, b);
  }

  const labelKinds: readonly [keyof OpenedMedium['labels'], string][] = [
    ['iso', 'ISO 9660'],
    ['joliet', 'Joliet'],
    ['udf', 'UDF'],
    ['fat', 'FAT'],
  ];
  for (const [kind, name] of labelKinds) {
    const [a, b] = [reference.labels[kind] ?? null, difference.labels[kind] ?? null];
    if (a !== b) add('Label', `Label (${name})`, a, b);
  }

  const rows = await iniRows(reference, difference, options.signal);
  for (const row of rows) {
    if (row.Reference !== row.Difference) add('TsmBootstrap', `TsmBootstrap.ini [${row.Section}] ${row.Key}`, row.Reference, row.Difference);
  }

  return {
    ReferencePath: reference.path,
    DifferencePath: difference.path,
    ReferenceFileSystem: reference.fileSystem,
    DifferenceFileSystem: difference.fileSystem,
    Same: differences.every((d) => d.Expected),
    FilesCompared: compared,
    Differences: differences,
    TsmBootstrap: rows,
  };
}
