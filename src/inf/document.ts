// An INF file as sections of lines, with `%strkey%` tokens replaced from the [Strings] sections
// (Microsoft "INF Strings section", "General syntax rules for INF files").
//
// Substitution follows Windows: one pass, never recursive (a string's value is not searched for
// further tokens), `%%` is a literal `%`, an unknown token stays as written. Section names, keys
// and string keys compare case-insensitively. A repeated section is one section (its lines in
// file order). [Strings] is used first; a localized [Strings.<LCID>] fills the keys it lacks.
// Sections are tokenized when first asked for, so reading [Version] and the models sections of a
// large INF does not cost its install sections.
//
// A hostile INF can still make one short token expand into a long value many times over, so the
// total substituted text is capped (SUBSTITUTION_MAX_CHARS): past it, tokens stay unreplaced and
// the document says so. Time and memory stay proportional to the input plus that cap.

import { decodeInf, type InfEncoding } from './decode.js';
import { indexInfSections, MAX_TOKENS, scanEntries, type SectionRange, type Token, type TokenBudget } from './lines.js';

/** Largest total of substituted text per file: far beyond any real INF's [Strings] use. */
export const SUBSTITUTION_MAX_CHARS = 16 * 1024 * 1024;

export interface InfLine {
  /** 1-based line the entry starts on. */
  readonly lineNumber: number;
  /** The text left of `=`, substituted; undefined for a line without `=`. */
  readonly key: string | undefined;
  readonly values: readonly string[];
}

export interface InfSection {
  /** As first written in the file. */
  readonly name: string;
  readonly lines: readonly InfLine[];
  /** Values of the first line whose key is `key` (case-insensitive). */
  valuesOf(key: string): readonly string[] | undefined;
}

export interface InfDocument {
  readonly encoding: InfEncoding;
  /** Names of every section, as first written, in file order. */
  readonly sectionNames: readonly string[];
  /** Case-insensitive; a section is tokenized the first time it is asked for. */
  section(name: string): InfSection | undefined;
  /** What was wrong and how it was read anyway, in the sections read so far; [] for a clean file. */
  readonly problems: readonly string[];
}

class Section implements InfSection {
  constructor(
    readonly name: string,
    readonly lines: readonly InfLine[],
  ) {}

  valuesOf(key: string): readonly string[] | undefined {
    const folded = key.toUpperCase();
    return this.lines.find((l) => l.key !== undefined && l.key.toUpperCase() === folded)?.values;
  }
}

const isStringsSection = (upper: string) => upper === 'STRINGS' || upper.startsWith('STRINGS.');

function plain(token: Token): string {
  return token.length === 1 ? token[0]!.text : token.map((s) => s.text).join('');
}

class Document implements InfDocument {
  readonly problems: string[];
  private readonly text: string;
  private readonly ranges = new Map<string, { name: string; ranges: SectionRange[] }>();
  private readonly parsed = new Map<string, Section>();
  private readonly budget: TokenBudget = { remaining: MAX_TOKENS, exhausted: false };
  private strings: Map<string, string> | undefined;
  private localizedRead = false;
  private substituted = 0;
  private substitutionReported = false;

  constructor(
    readonly encoding: InfEncoding,
    text: string,
    problems: string[],
  ) {
    this.problems = problems;
    this.text = text;
    for (const range of indexInfSections(text, problems)) {
      const upper = range.name.toUpperCase();
      const known = this.ranges.get(upper);
      if (known) known.ranges.push(range);
      else this.ranges.set(upper, { name: range.name, ranges: [range] });
    }
  }

  get sectionNames(): readonly string[] {
    return [...this.ranges.values()].map((r) => r.name);
  }

  section(name: string): InfSection | undefined {
    const upper = name.toUpperCase();
    const cached = this.parsed.get(upper);
    if (cached) return cached;
    const found = this.ranges.get(upper);
    if (!found) return undefined;
    const literal = isStringsSection(upper);
    const lines: InfLine[] = [];
    // A repeated section is one section: its lines in file order.
    for (const range of found.ranges) {
      for (const entry of scanEntries(this.text, range, this.problems, this.budget)) {
        const key = entry.key === undefined ? undefined : literal ? plain(entry.key) : this.substitute(entry.key);
        const values = entry.values.map((v) => (literal ? plain(v) : this.substitute(v)));
        lines.push({ lineNumber: entry.lineNumber, key, values });
      }
    }
    const section = new Section(found.name, lines);
    this.parsed.set(upper, section);
    return section;
  }

  /** [Strings] first; localized [Strings.<LCID>] sections are read only when it lacks a key. */
  private lookup(key: string): string | undefined {
    if (this.strings === undefined) {
      this.strings = new Map();
      this.addStrings('STRINGS');
    }
    const found = this.strings.get(key);
    if (found !== undefined || this.localizedRead) return found;
    this.localizedRead = true;
    for (const upper of this.ranges.keys()) if (upper.startsWith('STRINGS.')) this.addStrings(upper);
    return this.strings.get(key);
  }

  private addStrings(upper: string): void {
    for (const line of this.section(upper)?.lines ?? []) {
      if (line.key === undefined) continue;
      const key = line.key.toUpperCase();
      if (!this.strings!.has(key)) this.strings!.set(key, line.values.join(','));
    }
  }

  private substitute(token: Token): string {
    let out = '';
    for (const segment of token) out += segment.text.includes('%') ? this.substituteText(segment.text) : segment.text;
    return out;
  }

  private substituteText(text: string): string {
    return text.replace(/%([^%]*)%/g, (whole, name: string) => {
      if (name === '') return '%';
      const value = this.lookup(name.toUpperCase());
      if (value === undefined) return whole;
      if (this.substituted + value.length > SUBSTITUTION_MAX_CHARS) {
        if (!this.substitutionReported) this.problems.push(`%strkey% substitution passed ${SUBSTITUTION_MAX_CHARS} characters; later tokens were left as written`);
        this.substitutionReported = true;
        return whole;
      }
      this.substituted += value.length;
      return value;
    });
  }
}

/** Parse INF bytes (any encoding decodeInf knows). Never throws on content. */
export function parseInf(bytes: Uint8Array): InfDocument {
  const decoded = decodeInf(bytes);
  return new Document(decoded.encoding, decoded.text, [...decoded.problems]);
}
