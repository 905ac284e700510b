// The two date formats of ECMA-119: the 7-byte binary "recording date and time" of a directory
// record (§9.1.5) and the 17-byte text "date and time" of a volume descriptor (§8.4.26.1).
// Every time comes from the caller (options.recordedAt / TreeFile.modified) so output is
// reproducible under SOURCE_DATE_EPOCH; we always record UTC (offset 0).

export const RECORDING_DATE_SIZE = 7;
export const VOLUME_DATE_SIZE = 17;

/** §9.1.5: years since 1900 in one byte, so 1900..2155. Out-of-range dates are clamped. */
export function encodeRecordingDate(date: Date, bytes: Uint8Array, offset: number): void {
  const clamped = clampDate(date, Date.UTC(1900, 0, 1), Date.UTC(2155, 11, 31, 23, 59, 59));
  bytes[offset + 0x0] = clamped.getUTCFullYear() - 1900; // +0x0 years since 1900
  bytes[offset + 0x1] = clamped.getUTCMonth() + 1; // +0x1 month 1..12
  bytes[offset + 0x2] = clamped.getUTCDate(); // +0x2 day 1..31
  bytes[offset + 0x3] = clamped.getUTCHours(); // +0x3 hour
  bytes[offset + 0x4] = clamped.getUTCMinutes(); // +0x4 minute
  bytes[offset + 0x5] = clamped.getUTCSeconds(); // +0x5 second
  bytes[offset + 0x6] = 0; // +0x6 offset from GMT in 15-minute units (signed): UTC
}

export function parseRecordingDate(bytes: Uint8Array, offset: number): Date {
  const gmtOffset = (bytes[offset + 0x6]! << 24) >> 24; // signed byte
  const utc = Date.UTC(
    1900 + bytes[offset + 0x0]!,
    bytes[offset + 0x1]! - 1,
    bytes[offset + 0x2]!,
    bytes[offset + 0x3]!,
    bytes[offset + 0x4]!,
    bytes[offset + 0x5]!,
  );
  return new Date(utc - gmtOffset * 15 * 60 * 1000);
}

/** §8.4.26.1: "YYYYMMDDHHMMSScc" in digits, then the GMT offset byte; all zero = "not specified". */
export function encodeVolumeDate(date: Date | undefined, bytes: Uint8Array, offset: number): void {
  if (date === undefined) {
    bytes.fill(0x30, offset, offset + 16); // '0' digits
    bytes[offset + 16] = 0;
    return;
  }
  const d = clampDate(date, Date.UTC(1, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59));
  const text =
    pad(d.getUTCFullYear(), 4) + // +0x0 year
    pad(d.getUTCMonth() + 1, 2) + // +0x4 month
    pad(d.getUTCDate(), 2) + // +0x6 day
    pad(d.getUTCHours(), 2) + // +0x8 hour
    pad(d.getUTCMinutes(), 2) + // +0xA minute
    pad(d.getUTCSeconds(), 2) + // +0xC second
    pad(Math.floor(d.getUTCMilliseconds() / 10), 2); // +0xE hundredths
  for (let i = 0; i < 16; i++) bytes[offset + i] = text.charCodeAt(i);
  bytes[offset + 16] = 0; // +0x10 GMT offset: UTC
}

export function parseVolumeDate(bytes: Uint8Array, offset: number): Date | undefined {
  let text = '';
  for (let i = 0; i < 16; i++) text += String.fromCharCode(bytes[offset + i]!);
  if (!/^\d{16}$/u.test(text) || /^0+$/u.test(text)) return undefined;
  const n = (from: number, len: number): number => Number(text.slice(from, from + len));
  const gmtOffset = (bytes[offset + 16]! << 24) >> 24;
  const utc = Date.UTC(n(0, 4), n(4, 2) - 1, n(6, 2), n(8, 2), n(10, 2), n(12, 2), n(14, 2) * 10);
  return new Date(utc - gmtOffset * 15 * 60 * 1000);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function clampDate(date: Date, min: number, max: number): Date {
  const t = date.getTime();
  if (Number.isNaN(t)) return new Date(min);
  // Whole seconds only: directory records have no sub-second field, and this keeps both trees equal.
  return new Date(Math.min(max, Math.max(min, Math.floor(t / 1000) * 1000)));
}
