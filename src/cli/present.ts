// How the CLI shows a job to a person (stderr) or a script (--json on stdout).

import { formatBytes } from '../io/format-bytes.js';
import { writeAndWait } from '../io/write-and-wait.js';
import type { JobEventHandlers, LogEventLevel } from '../job/events.js';
import type { ProgressEvent } from '../io/progress.js';

export function formatResultText(data: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(data);
  const width = Math.max(...keys.map((k) => k.length));
  return keys
    .map((k) => {
      const v = data[k];
      const text = Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
      return `${k.padEnd(width)} : ${text}`;
    })
    .join('\n');
}

/** compare's result as a table: one line per difference, then the TsmBootstrap.ini keys side by side. */
export function formatCompareText(data: Readonly<Record<string, unknown>>): string {
  const differences = (data.Differences ?? []) as readonly { Kind: string; Path: string; Reference: string | null; Difference: string | null; Expected: boolean }[];
  const rows = (data.TsmBootstrap ?? []) as readonly { Section: string; Key: string; Reference: string | null; Difference: string | null }[];
  const table = (header: readonly string[], body: readonly (readonly string[])[]): string[] => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  };
  const out = [
    `Reference : ${String(data.ReferencePath)} (${String(data.ReferenceFileSystem)})`,
    `Difference: ${String(data.DifferencePath)} (${String(data.DifferenceFileSystem)})`,
    `Files compared: ${String(data.FilesCompared)}; ${differences.length} difference(s), ${differences.filter((d) => !d.Expected).length} unexpected: ${data.Same ? 'SAME' : 'DIFFERENT'}`,
  ];
  if (differences.length > 0) {
    out.push('', ...table(['Kind', 'Path', 'Reference', 'Difference', 'Expected'], differences.map((d) => [d.Kind, d.Path, d.Reference ?? '-', d.Difference ?? '-', d.Expected ? 'yes' : 'no'])));
  }
  if (rows.length > 0) {
    out.push('', 'TsmBootstrap.ini', ...table(['Section', 'Key', 'Reference', 'Difference'], rows.map((r) => [r.Section, r.Key, r.Reference ?? '-', r.Difference ?? '-'])));
  }
  return out.join('\n');
}

/**
 * The CLI's handlers for every job event: progress and messages on stderr (unless quiet, for
 * --json), results collected for printing at the end, the error as text on stderr or as JSON on
 * stdout.
 */
export class CliPresenter {
  readonly results: Readonly<Record<string, unknown>>[] = [];
  readonly handlers: JobEventHandlers<void | Promise<void>> = {
    progress: (event) => this.#progress(event),
    log: (event) => this.#log(event.level, event.message),
    result: (event) => {
      this.results.push(event.data);
    },
    error: async (event) => {
      this.#endProgressLine();
      const { type: _type, ...error } = event;
      if (this.json) await writeAndWait(process.stdout, `${JSON.stringify({ error })}\n`);
      else await writeAndWait(this.stderr, `ERROR [${event.id}]: ${event.message}\n`);
    },
  };
  #lastPhase: string | undefined;
  #lastTenth = -1;
  #progressShown = false;

  constructor(
    private readonly stderr: NodeJS.WriteStream,
    private readonly json: boolean,
    private readonly verbose: boolean,
  ) {}

  #progress(event: ProgressEvent): void {
    if (this.json) return;
    const line = `[${event.phase}] ${String(event.percent).padStart(3)}%  ${formatBytes(event.bytesDone)} / ${formatBytes(event.bytesTotal)}  ${event.status}`;
    if (this.stderr.isTTY) {
      this.stderr.write(`\r${line.slice(0, (this.stderr.columns || 100) - 1).padEnd((this.stderr.columns || 100) - 1)}`);
      this.#progressShown = true;
      if (event.percent >= 100) this.#endProgressLine();
      return;
    }
    // Not a terminal (a scheduled task's log): a line per phase start and per 10 %.
    const tenth = Math.floor(event.percent / 10);
    if (event.phase !== this.#lastPhase || tenth !== this.#lastTenth) {
      this.#lastPhase = event.phase;
      this.#lastTenth = tenth;
      this.stderr.write(`${line}\n`);
    }
  }

  #log(level: LogEventLevel, message: string): void {
    if (level === 'verbose' && !this.verbose) return;
    if (this.json && level !== 'warning') return;
    this.#endProgressLine();
    this.stderr.write(level === 'warning' ? `WARNING: ${message}\n` : level === 'verbose' ? `VERBOSE: ${message}\n` : `${message}\n`);
  }

  #endProgressLine(): void {
    if (this.#progressShown) {
      this.stderr.write('\n');
      this.#progressShown = false;
    }
  }
}
