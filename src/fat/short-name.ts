// 8.3 short names for long names, the way Windows generates them, and the name rules both kinds
// must follow. Microsoft FAT specification §6.1 "File/Directory Name" (legal 8.3 characters),
// §7.4 "Name Limits and Character Sets" (legal long-name characters), and the "Basis-Name
// Generation Algorithm" / "Numeric-Tail Generation Algorithm" (§7.4 of spec v1.03).
//
// Differences from Windows, deliberately:
// - Windows maps a non-ASCII character to the system OEM code page when it has a glyph there
//   ("é" -> 0x82 in CP437). We do not assume a code page: every non-ASCII character becomes '_'
//   (a "lossy" conversion, so such names always get a numeric tail and a long name). The short
//   names are valid and unique either way; only their spelling differs.
// - After ~4, Windows switches to a hashed form (first two characters + 4 hex digits + ~1). We
//   keep counting (~5, ~6, … ~999999), which the spec's numeric-tail algorithm also allows.
// - A valid 8.3 name in all-lower case (or lower-case base / upper-case extension) is stored as
//   upper case with the DIR_NTRes case bits and no long name, as Windows NT and later do.

import { LONG_NAME_MAX_CHARS } from './long-name.js';
import { NTRES_LOWER_BASE, NTRES_LOWER_EXT } from './directory-entry.js';

/** §6.1: besides A-Z and 0-9 these are legal in an 8.3 name. */
const SHORT_NAME_SPECIALS = "$%'-_@~`!(){}^#&";
/** §7.4: legal in a long name, not in an 8.3 name (they become '_' in the alias). */
const LONG_ONLY_CHARS = '+,;=[]';
/** §7.4: never legal in any name (with the control characters 0x00-0x1F). */
const ILLEGAL_CHARS = '"*/:<>?\\|';

export interface ShortName {
  /** DIR_Name: 11 bytes, base space-padded to 8, extension space-padded to 3. */
  readonly name: Uint8Array;
  /** DIR_NTRes case bits for a lower-case 8.3 name shown without an LFN. */
  readonly ntReserved: number;
  /** Whether long name entries must precede the short entry. */
  readonly needsLongName: boolean;
}

function isShortNameChar(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SHORT_NAME_SPECIALS.includes(c);
}

/** Why `name` cannot be a FAT file or directory name, or undefined when it can. */
export function longNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" is reserved`;
  if (name.length > LONG_NAME_MAX_CHARS) return `the name is ${name.length} characters long (255 at most)`;
  for (const c of name) {
    if (c.charCodeAt(0) < 0x20 || ILLEGAL_CHARS.includes(c)) return `the name contains the character ${JSON.stringify(c)}`;
  }
  // Windows strips trailing dots and spaces on create, so such a name could not be opened again.
  if (/[. ]$/.test(name)) return 'the name ends with a dot or a space';
  return undefined;
}

/** The name as Windows compares names on FAT: case-insensitively. */
export function nameKey(name: string): string {
  return name.toUpperCase();
}

interface Split {
  readonly base: string;
  readonly ext: string;
}

/** A name that is a valid 8.3 name once upper-cased (one optional dot, 1-8 . 0-3 legal chars). */
function exact83(name: string): Split | undefined {
  const m = /^([^.]{1,8})(?:\.([^.]{1,3}))?$/.exec(name);
  if (!m) return undefined;
  const base = m[1]!;
  const ext = m[2] ?? '';
  for (const c of base + ext) {
    if (c.charCodeAt(0) >= 0x80 || !isShortNameChar(c.toUpperCase())) return undefined;
  }
  return { base, ext };
}

/** Case of the letters of `s`: 'upper', 'lower', or 'mixed' ('upper' when it has no letters). */
function letterCase(s: string): 'upper' | 'lower' | 'mixed' {
  const hasLower = /[a-z]/.test(s);
  const hasUpper = /[A-Z]/.test(s);
  return hasLower && hasUpper ? 'mixed' : hasLower ? 'lower' : 'upper';
}

/** The spec's basis-name: upper case, illegal characters to '_', spaces and leading dots stripped. */
export function basisName(longName: string): { base: string; ext: string; lossy: boolean } {
  let lossy = false;
  let converted = '';
  for (const c of longName) {
    const code = c.charCodeAt(0);
    if (c === ' ') continue; // strip leading and embedded spaces
    if (c === '.') {
      converted += '.';
      continue;
    }
    const upper = code < 0x80 ? c.toUpperCase() : c;
    if (code >= 0x80 || LONG_ONLY_CHARS.includes(upper) || !isShortNameChar(upper)) {
      converted += '_';
      lossy = true;
    } else {
      converted += upper;
    }
  }
  converted = converted.replace(/^\.+/, ''); // strip leading periods
  const lastDot = converted.lastIndexOf('.');
  const firstDot = converted.indexOf('.');
  const base = (firstDot === -1 ? converted : converted.slice(0, firstDot)).slice(0, 8);
  const ext = lastDot === -1 ? '' : converted.slice(lastDot + 1).replace(/\./g, '').slice(0, 3);
  return { base: base.length > 0 ? base : '_', ext, lossy };
}

export function packShortName(base: string, ext: string): Uint8Array {
  const out = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < base.length && i < 8; i++) out[i] = base.charCodeAt(i);
  for (let i = 0; i < ext.length && i < 3; i++) out[8 + i] = ext.charCodeAt(i);
  return out;
}

function packedKey(base: string, ext: string): string {
  return `${base.padEnd(8)}${ext.padEnd(3)}`;
}

/**
 * Short names for all names of one directory (which must already be unique case-insensitively
 * and valid per longNameProblem). Names that are exact 8.3 names claim their own spelling first,
 * so a generated alias never takes a name a sibling owns; then aliases get numeric tails in the
 * order given (the caller passes a sorted order for deterministic output).
 */
export function assignShortNames(names: readonly string[]): ShortName[] {
  const used = new Set<string>();
  const result: (ShortName | undefined)[] = new Array(names.length);
  names.forEach((name, i) => {
    const split = exact83(name);
    if (!split) return;
    const baseCase = letterCase(split.base);
    const extCase = letterCase(split.ext);
    const base = split.base.toUpperCase();
    const ext = split.ext.toUpperCase();
    used.add(packedKey(base, ext));
    const mixed = baseCase === 'mixed' || extCase === 'mixed';
    result[i] = {
      name: packShortName(base, ext),
      ntReserved: mixed ? 0 : (baseCase === 'lower' ? NTRES_LOWER_BASE : 0) | (extCase === 'lower' ? NTRES_LOWER_EXT : 0),
      needsLongName: mixed,
    };
  });
  names.forEach((name, i) => {
    if (result[i]) return;
    // The spec's shortcut (basis name alone, no tail) applies only to names that fit 8.3, which
    // exact83 already handled; every other name (lossy or not) gets the first free numeric tail.
    const { base, ext } = basisName(name);
    for (let n = 1; n <= 999999; n++) {
      const tail = `~${n}`;
      const tailed = base.slice(0, 8 - tail.length) + tail;
      const key = packedKey(tailed, ext);
      if (used.has(key)) continue;
      used.add(key);
      result[i] = { name: packShortName(tailed, ext), ntReserved: 0, needsLongName: true };
      return;
    }
    throw new RangeError(`no free 8.3 alias for ${name}`);
  });
  return result.map((r) => r!);
}
