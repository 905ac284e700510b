// `boot-images --drivers` as text: one table per boot image and class, the columns an admin
// compares with the reference computer's Device Manager (the ids themselves are in --json).

import { formatResultText } from './present.js';

type Row = Readonly<Record<string, unknown>>;

const COLUMNS = ['Inf', 'Origin', 'Provider', 'Version', 'Date', 'Ids'] as const;

function cell(row: Row, column: (typeof COLUMNS)[number]): string {
  if (column === 'Ids') {
    const hw = Array.isArray(row.HardwareIds) ? row.HardwareIds.length : 0;
    const compat = Array.isArray(row.CompatibleIds) ? row.CompatibleIds.length : 0;
    return compat > 0 ? `${hw} (+${compat} compatible)` : String(hw);
  }
  const value = row[column];
  return value === null || value === undefined ? '' : String(value);
}

export function formatDriverTable(rows: readonly Row[]): string {
  if (rows.length === 0) return 'No driver of the requested classes in the boot image(s).';
  if (!rows.every((r) => 'Class' in r && 'Inf' in r)) return rows.map(formatResultText).join('\n\n');
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${String(row.BootImage)} (${String(row.Architecture)}) - ${String(row.Class) || 'no class'}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const blocks: string[] = [];
  for (const [title, group] of groups) {
    const widths = COLUMNS.map((c) => Math.max(c.length, ...group.map((r) => cell(r, c).length)));
    const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
    blocks.push([`${title}: ${group.length}`, line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...group.map((r) => line(COLUMNS.map((c) => cell(r, c))))].join('\n'));
  }
  return blocks.join('\n\n');
}
