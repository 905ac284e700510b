// One persistent PowerShell process for the Windows disk queries (Get-Disk, Get-Partition,
// Get-Volume, Win32_PageFileUsage, the elevation check). Starting powershell.exe costs ~0.5-1 s,
// so the provider keeps one session for a whole job and disposes it on exit and on cancel.
//
// Injection rule: nothing the user typed is ever pasted into PowerShell
// source. Scripts are built only from constant text, validated integers (disk numbers: see
// psDiskNumber) and data handed over as JSON inside base64 (psJsonArgument), which PowerShell
// decodes with [Convert]::FromBase64String + ConvertFrom-Json. The base64 alphabet has no quote,
// no `$`, no backtick and no newline, so the data cannot end the string literal it sits in.
//
// node-powershell 5 (child-shell) feeds each command to `powershell -NoExit -Command -` through
// stdin, framed by random delimiters it echoes to stdout and stderr. PowerShell reads stdin
// line by line in that mode, and a multi-line statement needs a trailing blank line to run, so a
// multi-line script is fragile there. The real session therefore sends every script as ONE line:
// the script's UTF-8 bytes in base64, turned back into a ScriptBlock inside PowerShell. That is
// the same idea as `-EncodedCommand`, for a process that is already running.

import { PowerShell, type PowerShellOptions } from 'node-powershell';
import { CaptureMediaError, DeviceError } from '../../errors.js';

/** What the Windows disk code needs from PowerShell: run a script, get its stdout as text. */
export interface PowerShellSession {
  /** Runs `script`; resolves with what it wrote to the success stream (stdout). Rejects when it wrote errors. */
  invoke(script: string): Promise<string>;
  /** Ends the PowerShell process. Safe to call more than once. */
  dispose(): Promise<void>;
}

export interface PowerShellSessionOptions {
  /** Use PowerShell 7 (`pwsh`) instead of Windows PowerShell 5.1 (`powershell.exe`, the default: on every Windows host). */
  readonly pwsh?: boolean;
  /** A full path to the PowerShell binary (tests; hosts where pwsh is not on PATH). Wins over `pwsh`. */
  readonly executable?: string;
  /** Cancels the running invocation and ends the process. */
  readonly signal?: AbortSignal;
  /** Milliseconds one invocation may take; 0 = no limit. Get-Disk on a host with a hung USB device can block. */
  readonly invocationTimeoutMs?: number;
}

/** The one place a disk number enters PowerShell source: a validated UInt32 (MSFT_Disk.Number is UInt32). */
export function psDiskNumber(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new CaptureMediaError('InvalidParameter', `Not a disk number: ${String(value)}.`, { target: String(value) });
  }
  return String(value);
}

/**
 * A PowerShell expression that evaluates to `value` (any JSON-able data), without the data ever
 * being parsed as PowerShell: `(ConvertFrom-Json ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('…'))))`.
 */
export function psJsonArgument(value: unknown): string {
  const base64 = Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
  return `(ConvertFrom-Json ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${base64}'))))`;
}

/**
 * Wraps a script as one line for a running PowerShell: decoded from base64 and run as a
 * ScriptBlock, with errors made terminating and output forced to UTF-8 (disk friendly names and
 * volume labels are not always ASCII; the console's OEM code page would mangle them).
 */
export function encodeForSession(script: string): string {
  const prologue =
    // Warnings would be printed into stdout between the JSON lines in -Command - mode: silence them.
    "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; $WarningPreference = 'SilentlyContinue'; " +
    '[Console]::OutputEncoding = [Text.Encoding]::UTF8\n';
  const base64 = Buffer.from(prologue + script, 'utf8').toString('base64');
  return `& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${base64}'))))`;
}

/**
 * pwsh writes terminal control sequences even to a pipe (`ESC[?1h ESC[?1l` keypad mode around each
 * prompt, and ANSI colours in error records since 7.2's $PSStyle); they are not output.
 */
export function stripTerminalSequences(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001b[=>]/g, '');
}

/** The real session over node-powershell. The process starts on the first invoke, not in the constructor. */
export class NodePowerShellSession implements PowerShellSession {
  private shell: PowerShell | undefined;
  private disposed = false;
  private readonly options: PowerShellSessionOptions;
  private readonly onExit = (): void => {
    // 'exit' handlers must be synchronous; child-shell's dispose() sends the kill signal before its first await.
    void this.shell?.dispose();
  };
  private readonly onAbort = (): void => {
    void this.dispose();
  };

  constructor(options: PowerShellSessionOptions = {}) {
    this.options = options;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private executable(): string {
    return this.options.executable ?? (this.options.pwsh ? 'pwsh' : 'powershell');
  }

  private start(): PowerShell {
    if (this.shell) return this.shell;
    const shellOptions: PowerShellOptions = {
      // node-powershell picks 'pwsh' for pwsh:true, else `executable` ('powershell' on Windows by default).
      ...(this.options.executable !== undefined ? { executable: this.options.executable } : { pwsh: this.options.pwsh === true }),
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      invocationTimeout: this.options.invocationTimeoutMs ?? 120_000,
      throwOnInvocationError: true,
    };
    this.shell = new PowerShell(shellOptions);
    process.once('exit', this.onExit);
    return this.shell;
  }

  async invoke(script: string): Promise<string> {
    const signal = this.options.signal;
    if (this.disposed || signal?.aborted) throw new CaptureMediaError('Cancelled', 'The operation was cancelled.');
    const shell = this.start();
    const command = encodeForSession(script);
    try {
      const result = await shell.invoke(command);
      if (signal?.aborted) throw new CaptureMediaError('Cancelled', 'The operation was cancelled.');
      return stripTerminalSequences(result.raw);
    } catch (error: unknown) {
      if (error instanceof CaptureMediaError) throw error;
      if (signal?.aborted) throw new CaptureMediaError('Cancelled', 'The operation was cancelled.', { cause: error });
      const message = stripTerminalSequences(error instanceof Error ? error.message : String(error));
      const startCode = (error as { originalError?: { code?: unknown } }).originalError?.code;
      if (startCode === 'ENOENT') {
        throw new DeviceError(
          'PowerShellFailed',
          `${this.executable()} was not found: ${this.options.pwsh ? 'install PowerShell 7 or drop -Pwsh' : 'Windows PowerShell 5.1 ships with Windows; is this Windows?'}`,
          { command: this.executable(), args: [], exitCode: undefined, stdout: '', stderr: message },
          { cause: error },
        );
      }
      // A PowerShell error is not a disk verdict; it keeps the script and what PowerShell said.
      throw new DeviceError(
        'PowerShellFailed',
        `${this.executable()} failed: ${message.trim().split('\n')[0] ?? ''}`,
        { command: this.executable(), args: [script], exitCode: undefined, stdout: '', stderr: message },
        { cause: error },
      );
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    process.removeListener('exit', this.onExit);
    const shell = this.shell;
    this.shell = undefined;
    if (shell) await shell.dispose().catch(() => undefined);
  }
}
