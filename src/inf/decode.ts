// INF text decoding. Microsoft's "General syntax rules for INF files": an INF is either ANSI (the
// system code page) or Unicode, which on Windows means UTF-16LE with a byte order mark; INFs
// written by tools are sometimes UTF-8 with a BOM. We read: UTF-16LE and UTF-16BE with BOM, UTF-8
// with BOM, and otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the ANSI code
// page of the English systems driver INFs are written for). Hardware ids are ASCII in every case.
//
// Malformed input decodes anyway and says so: an odd UTF-16 byte count drops the last byte, and
// unpaired surrogates become U+FFFD (TextDecoder's replacement). Never a throw.

export type InfEncoding = 'utf-16le' | 'utf-16be' | 'utf-8' | 'windows-1252';

export interface DecodedInf {
  readonly encoding: InfEncoding;
  readonly text: string;
  /** What was wrong with the bytes; [] for well-formed text. */
  readonly problems: readonly string[];
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { ignoreBOM: true });
const utf16be = new TextDecoder('utf-16be', { ignoreBOM: true });

export function decodeInf(bytes: Uint8Array): DecodedInf {
  const problems: string[] = [];
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding: InfEncoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    let body = bytes.subarray(2);
    if (body.length % 2 !== 0) {
      problems.push(`odd number of bytes (${bytes.length}) for UTF-16: the last byte was ignored`);
      body = body.subarray(0, body.length - 1);
    }
    const text = (encoding === 'utf-16le' ? utf16le : utf16be).decode(body);
    if (text.includes('\uFFFD')) problems.push('malformed UTF-16 (unpaired surrogates) replaced by U+FFFD');
    return { encoding, text, problems };
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3));
    if (text.includes('\uFFFD')) problems.push('malformed UTF-8 replaced by U+FFFD');
    return { encoding: 'utf-8', text, problems };
  }
  // UTF-16LE written without its BOM: Windows would read it as ANSI and find nothing; we read it
  // (an INF starts with '[' or ';' or whitespace, all ASCII, so every second byte is 0).
  if (bytes.length >= 4 && bytes.length % 2 === 0 && bytes[0] !== 0 && bytes[1] === 0 && bytes[3] === 0) {
    problems.push('UTF-16LE without a byte order mark (Windows expects one)');
    return { encoding: 'utf-16le', text: utf16le.decode(bytes), problems };
  }
  try {
    return { encoding: 'utf-8', text: utf8Fatal.decode(bytes), problems };
  } catch {
    return { encoding: 'windows-1252', text: decodeWindows1252(bytes), problems };
  }
}

// Windows-1252 differs from Latin-1 only in 0x80-0x9F (Microsoft's code page 1252 table; the five
// unassigned bytes map to the C1 controls, as Windows' MultiByteToWideChar does). Written out
// because Node builds without full ICU decode 'windows-1252' as Latin-1.
const CP1252_80_9F =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\x80-\x9f]/.test(latin1) ? latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!) : latin1;
}
