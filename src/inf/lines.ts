// INF lines (Microsoft "General syntax rules for INF files"): a `;` outside quotes starts a
// comment; a backslash as the last character of a line (comments and trailing blanks aside)
// continues the entry on the next line; `"…"` quotes a value, inside which `""` is one quote and
// `;`, `,` and `=` are plain characters; the first `=` outside quotes separates the key from its
// values, which are separated by `,`. A line starting with `[` names a section.
//
// Two steps, so that only the sections a caller reads are ever tokenized (a driver INF is mostly
// install and registry sections the inventory never looks at): indexInfSections finds the section
// headers in one cheap pass; scanEntries tokenizes one section's lines. Both are linear in the
// text whatever it holds: a logical line longer than LINE_MAX_CHARS is cut there (and said so),
// and past MAX_TOKENS keys and values nothing more is kept, so a hostile "deeply continued" INF
// costs bounded memory.

/** Longest logical line kept; real model lines with dozens of ids stay under a few KiB. */
export const LINE_MAX_CHARS = 256 * 1024;

/** A part of a value: quoted text is kept verbatim (blanks included). */
export interface Segment {
  readonly text: string;
  readonly quoted: boolean;
}
export type Token = readonly Segment[];

export interface RawEntry {
  /** 1-based line the entry starts on. */
  readonly lineNumber: number;
  readonly key: Token | undefined;
  readonly values: readonly Token[];
}

/** One `[name]` header and the text after it up to the next header: characters [start, end). */
export interface SectionRange {
  readonly name: string;
  readonly headerLine: number;
  readonly start: number;
  readonly end: number;
}

/** Keys and values still allowed for the whole document (shared by every scanEntries call). */
export interface TokenBudget {
  remaining: number;
  exhausted: boolean;
}

class LineBuilder {
  key: Token | undefined;
  values: Token[] = [];
  segments: Segment[] = [];
  text = '';
  inQuote = false;
  quoted = false;
  chars = 0;
  hasContent = false;
  /** Cut at LINE_MAX_CHARS: the rest of the entry, continuations included, is skipped. */
  truncated = false;

  flushSegment(): void {
    if (this.text.length > 0 || this.quoted) this.segments.push({ text: this.text, quoted: this.quoted });
    this.text = '';
    this.quoted = false;
  }

  finishToken(): Token {
    this.flushSegment();
    const segments = this.segments;
    this.segments = [];
    return trimToken(segments);
  }
}

/** Blanks around a value are not part of it, unless quoted. Trims in place: the builder owns `segments`. */
function trimToken(segments: Segment[]): Token {
  const first = segments[0];
  if (first && !first.quoted && /^\s/.test(first.text)) segments[0] = { text: first.text.trimStart(), quoted: false };
  const lastIndex = segments.length - 1;
  const last = segments[lastIndex];
  if (last && !last.quoted && /\s$/.test(last.text)) segments[lastIndex] = { text: last.text.trimEnd(), quoted: false };
  return segments.some((s) => !s.quoted && s.text.length === 0) ? segments.filter((s) => s.quoted || s.text.length > 0) : segments;
}

/**
 * Whether only blanks, then the end of the line or a comment, follow position `from`: a backslash
 * there continues the line (`value, \ ; more below`). Only the blank run is scanned, so a line of
 * many backslashes stays linear.
 */
function endsLogicalText(line: string, from: number): boolean {
  let i = from;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i === line.length || line[i] === ';';
}

/** Most keys and values one INF may have; the largest real INFs (display drivers) have far fewer. */
export const MAX_TOKENS = 1_000_000;

const SPECIAL = /["\\;,=]/g;
/** A line that ends in a continuation mark, perhaps followed by a comment (used past a cut only). */
const CONTINUED = /\\[ \t]*(?:;.*)?$/;
const QUOTE = /"/g;

/** A header candidate: `[` first on a line (blanks aside). */
const HEADER = /^[ \t]*\[/gm;

/**
 * Line breaks in text[from, to), for line numbers in messages: LFs (CRLF and LF files), or CRs in a
 * file that has no LF at all. Counted with indexOf, which is native and much faster than a loop.
 */
function countLineBreaks(text: string, from: number, to: number, breakChar: string): number {
  let n = 0;
  for (let i = text.indexOf(breakChar, from); i >= 0 && i < to; i = text.indexOf(breakChar, i + 1)) n++;
  return n;
}

/** Start of the line that ends just before `lineStart` (which starts a line). */
function previousLine(text: string, lineStart: number): string {
  let end = lineStart;
  if (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  let start = end;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  return text.slice(start, end);
}

function continues(line: string): boolean {
  return line.includes('\\') && !/^[ \t]*;/.test(line) && CONTINUED.test(line);
}

/**
 * Section headers: a line whose first non-blank character is `[`, unless the line before it was
 * continued. (This pass judges continuation without quote tracking — a trailing backslash outside
 * a comment line; scanEntries then reads each section exactly.) Only header lines are looked at,
 * so the pass allocates nothing for the rest of the text.
 */
export function indexInfSections(text: string, problems: string[]): SectionRange[] {
  const ranges: { name: string; headerLine: number; start: number; end: number }[] = [];
  let line = 1;
  let counted = 0;
  const breakChar = text.includes('\n') ? '\n' : '\r';
  HEADER.lastIndex = 0;
  for (let m = HEADER.exec(text); m !== null; m = HEADER.exec(text)) {
    const lineStart = m.index;
    if (lineStart > 0 && continues(previousLine(text, lineStart))) continue;
    line += countLineBreaks(text, counted, lineStart, breakChar);
    counted = lineStart;
    let lineEnd = lineStart;
    while (lineEnd < text.length && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13) lineEnd++;
    const header = text.slice(m.index + m[0].length, lineEnd);
    const close = header.indexOf(']');
    if (close < 0) problems.push(`line ${line}: section header without "]"`);
    const last = ranges[ranges.length - 1];
    if (last) last.end = lineStart;
    else if (/^[ \t]*[^;\s]/m.test(text.slice(0, lineStart))) problems.push('text before the first [section] was ignored');
    // The section's text starts on the line after its header.
    const next = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : lineEnd < text.length ? 1 : 0);
    ranges.push({ name: (close < 0 ? header : header.slice(0, close)).trim(), headerLine: line, start: next, end: text.length });
    HEADER.lastIndex = Math.max(HEADER.lastIndex, lineEnd);
  }
  if (ranges.length === 0 && /^[ \t]*[^;\s]/m.test(text)) problems.push('text before the first [section] was ignored');
  return ranges;
}

/** The entry reached LINE_MAX_CHARS: say so, skip the rest; returns whether this line continues. */
function cutLine(b: LineBuilder, line: string, startLine: number, problems: string[]): boolean {
  problems.push(`line ${startLine}: longer than ${LINE_MAX_CHARS} characters, cut there`);
  b.truncated = true;
  return CONTINUED.test(line);
}

/** Tokenize the entries of one section's text. */
export function scanEntries(text: string, range: SectionRange, problems: string[], budget: TokenBudget): RawEntry[] {
  const out: RawEntry[] = [];
  if (budget.exhausted || range.start >= range.end) return out;
  const physical = text.slice(range.start, range.end).split(/\r\n|\n|\r/);
  const to = physical.length;
  // Line numbers in messages are the file's: the section's first line is the one after its header.
  const base = range.headerLine;
  let b = new LineBuilder();
  let startLine = base + 1;
  for (let n = 0; n < to; n++) {
    const line = physical[n]!;
    if (b.truncated && CONTINUED.test(line) && n + 1 < to) continue;
    if (!b.hasContent && b.values.length === 0 && b.key === undefined) startLine = base + n + 1;
    let continued = false;
    let i = b.truncated ? line.length : 0;
    // Runs of plain text are copied as slices; only the special characters are looked at one by one.
    while (i < line.length) {
      const special = b.inQuote ? QUOTE : SPECIAL;
      special.lastIndex = i;
      const found = special.exec(line);
      const j = found ? found.index : line.length;
      if (j > i) {
        const room = LINE_MAX_CHARS - b.chars;
        const run = line.slice(i, Math.min(j, i + room));
        b.text += run;
        b.chars += run.length;
        if (!b.inQuote && !b.hasContent && /\S/.test(run)) b.hasContent = true;
        if (j - i > room) {
          continued = cutLine(b, line, startLine, problems);
          break;
        }
      }
      if (j >= line.length) break;
      const c = line[j]!;
      i = j + 1;
      if (b.inQuote) {
        if (line[i] === '"') {
          b.text += '"';
          i++;
        } else {
          b.inQuote = false;
          b.flushSegment();
        }
        continue;
      }
      if (c === ';') break;
      if (c === '"') {
        b.flushSegment();
        b.inQuote = true;
        b.quoted = true;
        b.hasContent = true;
      } else if (c === ',') {
        b.values.push(b.finishToken());
        b.hasContent = true;
      } else if (c === '=' && b.key === undefined && b.values.length === 0) {
        b.key = b.finishToken();
        b.hasContent = true;
      } else if (c === '\\' && endsLogicalText(line, i)) {
        continued = true;
        break;
      } else {
        b.text += c;
        b.hasContent = true;
      }
      // Every special character counts too, so a line of commas or quotes is capped like any other.
      if (++b.chars >= LINE_MAX_CHARS) {
        continued = cutLine(b, line, startLine, problems);
        break;
      }
    }
    if (b.inQuote) {
      problems.push(`line ${base + n + 1}: quote not closed before the end of the line`);
      b.inQuote = false;
      b.flushSegment();
    }
    if (continued && n + 1 < to) continue;
    if (b.hasContent || b.key !== undefined || b.values.length > 0) {
      const last = b.finishToken();
      out.push({ lineNumber: startLine, key: b.key, values: [...b.values, last] });
      budget.remaining -= b.values.length + 2;
      if (budget.remaining < 0) {
        problems.push(`more than ${MAX_TOKENS} keys and values; the INF was read up to line ${base + n + 1}`);
        budget.exhausted = true;
        break;
      }
    }
    b = new LineBuilder();
  }
  return out;
}
