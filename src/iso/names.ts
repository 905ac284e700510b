// File and directory identifiers for the two trees, and their sort order.
//
// Primary tree (ECMA-119 §7.5, §7.6, interchange levels 2/3 of §10.2/§10.3): d-characters only
// (A-Z 0-9 _), files "NAME.EXT;1" with name + extension ≤ 30 characters and the "." always
// present (§7.5.1: SEPARATOR 1 is mandatory even with an empty extension), directories ≤ 31
// d-characters with no dot. Anything else is mangled: accents stripped (NFKD), lower case
// upcased, other characters → "_", over-long parts cut, and collisions resolved with a "_N"
// suffix in the order of the original names. Windows never shows these names (it reads Joliet);
// they exist for DOS/UEFI readers and strict ISO 9660 readers.
//
// Joliet tree (Joliet specification, Microsoft 1995, §3): UCS-2 big-endian names of at most 64
// characters, any character except control characters and * / : ; ? \ (§3.1). We write no ";1"
// version suffix on Joliet names: Windows strips it anyway, and leaving it out lets a name keep
// all 64 characters. Collisions after cutting/replacing are resolved case-insensitively, as
// Windows compares names that way. Characters outside the BMP are written as their UTF-16
// surrogate pairs (what Windows reads and writes); genisoimage and xorriso (without -joliet-utf16)
// replace them with "_" instead.
//
// Ordering (ECMA-119 §9.3): directory records sorted by name part, then extension, the shorter
// one padded with spaces (0x20), then by version descending. Joliet uses the same rule over UCS-2
// code units (Joliet §3.3).

/** ECMA-119 §7.5.1 (levels 2 and 3): name + extension lengths may not exceed 30. */
export const ISO_FILE_NAME_MAX = 30;
/** ECMA-119 §7.6.3: a directory identifier is at most 31 d-characters. */
export const ISO_DIRECTORY_NAME_MAX = 31;
/** Long extensions are cut so a name keeps room for its base part. */
const ISO_EXTENSION_MAX = 8;
/** Joliet §3.1: a file or directory identifier is at most 64 UCS-2 characters. */
export const JOLIET_NAME_MAX = 64;

/** A primary-tree identifier split as §9.3 sorts it. `ext` is undefined for directories. */
export interface IsoName {
  readonly base: string;
  readonly ext: string | undefined;
}

/** The identifier as recorded: "BASE.EXT;1" for files, "BASE" for directories. */
export function isoIdentifier(name: IsoName): string {
  return name.ext === undefined ? name.base : `${name.base}.${name.ext};1`;
}

/** Map to d-characters (ECMA-119 §7.4.1, Appendix A: A-Z 0-9 _). */
export function toDCharacters(text: string): string {
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/gu, '');
  let out = '';
  for (const ch of folded.toUpperCase()) out += /^[A-Z0-9_]$/u.test(ch) ? ch : '_';
  return out;
}

/** The un-deduplicated ISO name of one path component. */
export function mangleIsoName(original: string, isDirectory: boolean): IsoName {
  if (isDirectory) {
    const base = toDCharacters(original).slice(0, ISO_DIRECTORY_NAME_MAX);
    return { base: base === '' ? '_' : base, ext: undefined };
  }
  const dot = original.lastIndexOf('.');
  const rawBase = dot < 0 ? original : original.slice(0, dot);
  const rawExt = dot < 0 ? '' : original.slice(dot + 1);
  const ext = toDCharacters(rawExt).slice(0, ISO_EXTENSION_MAX);
  let base = toDCharacters(rawBase).slice(0, ISO_FILE_NAME_MAX - ext.length);
  if (base === '' && ext === '') base = '_';
  return { base, ext };
}

/**
 * Give every sibling a distinct ISO name. `originals` must already be in a deterministic order
 * (plan sorts them by their original names); the first keeps its mangled name, later ones get
 * "_1", "_2", … cut into the base so the length limits still hold.
 */
export function assignIsoNames(originals: readonly { name: string; isDirectory: boolean }[]): IsoName[] {
  const taken = new Set<string>();
  const out: IsoName[] = [];
  for (const entry of originals) {
    const mangled = mangleIsoName(entry.name, entry.isDirectory);
    let candidate = mangled;
    for (let n = 1; taken.has(isoIdentifier(candidate)); n++) {
      const suffix = `_${n}`;
      const limit = entry.isDirectory ? ISO_DIRECTORY_NAME_MAX : ISO_FILE_NAME_MAX - (mangled.ext ?? '').length;
      candidate = { base: mangled.base.slice(0, Math.max(0, limit - suffix.length)) + suffix, ext: mangled.ext };
    }
    taken.add(isoIdentifier(candidate));
    out.push(candidate);
  }
  return out;
}

/** Joliet §3.1: replace the characters Joliet forbids, then cut to 64 UCS-2 units keeping the extension. */
export function mangleJolietName(original: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = original.replace(/[\u0000-\u001f*/:;?\\]/gu, '_');
  return cutJoliet(cleaned, '');
}

export function assignJolietNames(originals: readonly string[]): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  for (const original of originals) {
    const mangled = mangleJolietName(original);
    let candidate = mangled;
    for (let n = 1; taken.has(candidate.toUpperCase()); n++) candidate = cutJoliet(mangled, `_${n}`);
    taken.add(candidate.toUpperCase());
    out.push(candidate);
  }
  return out;
}

/** Insert `suffix` before the extension and cut the base so the whole fits 64 units. */
function cutJoliet(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  const hasExt = dot > 0 && name.length - dot <= 16;
  const base = hasExt ? name.slice(0, dot) : name;
  const ext = hasExt ? name.slice(dot) : '';
  if (base.length + suffix.length + ext.length <= JOLIET_NAME_MAX) return base + suffix + ext;
  let keep = Math.max(0, JOLIET_NAME_MAX - suffix.length - ext.length);
  // Never split a UTF-16 surrogate pair: a lone surrogate is not a character.
  const last = base.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return base.slice(0, keep) + suffix + ext;
}

/** Split a Joliet name into name and extension parts for §9.3 ordering. */
export function splitForSort(identifier: string, isDirectory: boolean): IsoName {
  if (isDirectory) return { base: identifier, ext: undefined };
  const dot = identifier.lastIndexOf('.');
  return dot < 0 ? { base: identifier, ext: '' } : { base: identifier.slice(0, dot), ext: identifier.slice(dot + 1) };
}

/** ECMA-119 §9.3: compare padded with 0x20 position by position, name part first, then extension. */
export function compareIsoNames(a: IsoName, b: IsoName): number {
  return comparePadded(a.base, b.base) || comparePadded(a.ext ?? '', b.ext ?? '');
}

function comparePadded(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = i < a.length ? a.charCodeAt(i) : 0x20;
    const y = i < b.length ? b.charCodeAt(i) : 0x20;
    if (x !== y) return x - y;
  }
  return 0;
}

/** Ordinal (UTF-16 code unit) comparison, used to order originals before names are assigned. */
export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
