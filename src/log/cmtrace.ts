// CMTrace log line format, the format ConfigMgr's own logs use, so admins can open
// our log in CMTrace/OneTrace next to smsts.log:
//   <![LOG[message]LOG]!><time="HH:mm:ss.fff+BBB" date="MM-dd-yyyy" component="…" context="" type="1|2|3" thread="pid" file="…">
// BBB is Date#getTimezoneOffset(): minutes to add to local time to get UTC. So UTC+1 (offset -60)
// is written "-060" and UTC-5 (offset 300) "+300" — the opposite sign of an ISO 8601 offset.

export type CmTraceSeverity = 1 | 2 | 3; // 1 information, 2 warning, 3 error

export interface CmTraceEntry {
  readonly message: string;
  readonly time: Date;
  readonly component: string;
  readonly severity: CmTraceSeverity;
  readonly thread: number;
  readonly file?: string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function formatBias(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.abs(offsetMinutes), 3)}`;
}

/** CMTrace cannot show a message containing its own closing marker; neutralise it. */
function escapeMessage(message: string): string {
  return message.replaceAll(']LOG]!>', '] LOG]!>');
}

export function formatCmTraceLine(entry: CmTraceEntry): string {
  const t = entry.time;
  const time = `${pad(t.getHours(), 2)}:${pad(t.getMinutes(), 2)}:${pad(t.getSeconds(), 2)}.${pad(t.getMilliseconds(), 3)}${formatBias(t.getTimezoneOffset())}`;
  const date = `${pad(t.getMonth() + 1, 2)}-${pad(t.getDate(), 2)}-${t.getFullYear()}`;
  return (
    `<![LOG[${escapeMessage(entry.message)}]LOG]!>` +
    `<time="${time}" date="${date}" component="${entry.component}" context="" type="${entry.severity}" thread="${entry.thread}" file="${entry.file ?? ''}">`
  );
}

/** A CMTrace line as a regular expression, used by tests and by anything that reads our logs back. */
export const CMTRACE_LINE =
  /^<!\[LOG\[(?<message>[\s\S]*?)\]LOG\]!><time="(?<hh>\d{2}):(?<mm>\d{2}):(?<ss>\d{2})\.(?<fff>\d{3})(?<bias>[+-]\d{3})" date="(?<MM>\d{2})-(?<dd>\d{2})-(?<yyyy>\d{4})" component="(?<component>[^"]*)" context="" type="(?<type>[123])" thread="(?<thread>\d+)" file="(?<file>[^"]*)">$/;

export interface ParsedCmTraceLine {
  message: string;
  /** The instant, reconstructed as UTC = local + bias. */
  utc: Date;
  component: string;
  severity: CmTraceSeverity;
  thread: number;
}

export function parseCmTraceLine(line: string): ParsedCmTraceLine | undefined {
  const m = CMTRACE_LINE.exec(line);
  if (!m?.groups) return undefined;
  const g = m.groups as Record<string, string>;
  const localAsUtcMs = Date.UTC(+g.yyyy!, +g.MM! - 1, +g.dd!, +g.hh!, +g.mm!, +g.ss!, +g.fff!);
  const bias = Number(g.bias);
  return {
    message: g.message!,
    utc: new Date(localAsUtcMs + bias * 60_000),
    component: g.component!,
    severity: Number(g.type) as CmTraceSeverity,
    thread: Number(g.thread),
  };
}
