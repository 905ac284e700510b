// The error classes of capture-media and the one table that maps each stable error id
// (README "Error ids") to a CLI exit code and a PowerShell ErrorCategory. Scripts and tests match on
// the id, so ids are only ever added, never renamed.

export type ErrorCategory =
  | 'InvalidArgument'
  | 'PermissionDenied'
  | 'ResourceUnavailable'
  | 'InvalidData'
  | 'WriteError'
  | 'OperationStopped';

export const EXIT_OK = 0;
export const EXIT_INVALID_ARGUMENT = 2;
export const EXIT_PRECONDITION = 3;
export const EXIT_SOURCE_INVALID = 4;
export const EXIT_WRITE_FAILED = 5;
export const EXIT_CANCELLED = 130;
/** `compare`: the media differ in something the caller did not say to expect (not an error). */
export const EXIT_MEDIA_DIFFER = 6;
/** An error that is ours but carries no id (a bug): still a non-zero, distinct exit. */
export const EXIT_INTERNAL = 1;

interface ErrorIdInfo {
  readonly exitCode: number;
  readonly category: ErrorCategory;
}

/** id -> exit code -> PowerShell ErrorCategory. The README's error table states the same facts; keep the two in step. */
export const ERROR_IDS = {
  ParameterConflict: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  InvalidParameter: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  OutputPathInvalid: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  TemporaryFolderInvalid: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  LabelInvalid: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  MediaSizeInvalid: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  BridgeRequestInvalid: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  LogPathInvalid: { exitCode: EXIT_INVALID_ARGUMENT, category: 'InvalidArgument' },
  NotImplemented: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  PermissionDenied: { exitCode: EXIT_PRECONDITION, category: 'PermissionDenied' },
  FileTooLargeForMedia: { exitCode: EXIT_PRECONDITION, category: 'InvalidArgument' },
  FileTooLargeForFat32: { exitCode: EXIT_PRECONDITION, category: 'InvalidArgument' },
  ArchitectureMismatch: { exitCode: EXIT_PRECONDITION, category: 'InvalidArgument' },
  OutputExists: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  OutputDirectoryMissing: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  TemporarySpaceLow: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  OutputSpaceLow: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  ContentLibraryUnreadable: { exitCode: EXIT_PRECONDITION, category: 'PermissionDenied' },
  DiskNotRemovable: { exitCode: EXIT_PRECONDITION, category: 'PermissionDenied' },
  DiskIsSystem: { exitCode: EXIT_PRECONDITION, category: 'PermissionDenied' },
  DiskInUseBySource: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  DiskTooSmall: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  DiskMounted: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  DiskOffline: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  DiskNotFound: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  DiskChanged: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  PowerShellFailed: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  ConfirmationRequired: { exitCode: EXIT_PRECONDITION, category: 'PermissionDenied' },
  CaptureLauncherMissing: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  ClientSourceInvalid: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  FormatMediaRequired: { exitCode: EXIT_PRECONDITION, category: 'ResourceUnavailable' },
  BootImageNotFound: { exitCode: EXIT_SOURCE_INVALID, category: 'ResourceUnavailable' },
  TemplateInvalid: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  BootFilesMissing: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  ContentHashMismatch: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  ContentLibraryInvalid: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  WimInvalid: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  WimUnsupportedCompression: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  MediaInvalid: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  DriverMissing: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  MediaNameUnsupported: { exitCode: EXIT_SOURCE_INVALID, category: 'InvalidData' },
  DiskpartFailed: { exitCode: EXIT_WRITE_FAILED, category: 'WriteError' },
  WriteFailed: { exitCode: EXIT_WRITE_FAILED, category: 'WriteError' },
  VerifyFailed: { exitCode: EXIT_WRITE_FAILED, category: 'WriteError' },
  DiscSetRecoveryFailed: { exitCode: EXIT_WRITE_FAILED, category: 'WriteError' },
  Cancelled: { exitCode: EXIT_CANCELLED, category: 'OperationStopped' },
  InternalError: { exitCode: EXIT_INTERNAL, category: 'InvalidData' },
} as const satisfies Record<string, ErrorIdInfo>;

export type ErrorId = keyof typeof ERROR_IDS;

export interface CaptureMediaErrorOptions {
  /** The value or path the error is about (PowerShell's TargetObject). */
  target?: string;
  cause?: unknown;
}

/** Base class: every error the core raises on purpose carries a stable id. */
export class CaptureMediaError extends Error {
  readonly id: ErrorId;
  readonly target: string | undefined;

  constructor(id: ErrorId, message: string, options: CaptureMediaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.id = id;
    this.target = options.target;
  }

  get exitCode(): number {
    return ERROR_IDS[this.id].exitCode;
  }

  get category(): ErrorCategory {
    return ERROR_IDS[this.id].category;
  }
}
CaptureMediaError.prototype.name = 'CaptureMediaError';

/** A structure on disk does not parse: which structure, and at which byte offset. */
export class InvalidFormatError extends CaptureMediaError {
  readonly structure: string;
  readonly offset: number;

  constructor(
    id: ErrorId,
    structure: string,
    offset: number,
    message: string,
    options: CaptureMediaErrorOptions = {},
  ) {
    super(id, `${structure} at offset ${offset}: ${message}`, options);
    this.structure = structure;
    this.offset = offset;
  }
}
InvalidFormatError.prototype.name = 'InvalidFormatError';

/** A compressed chunk cannot be decoded: never read past input as zeros, say where it broke. */
export class DecompressionError extends CaptureMediaError {
  readonly codec: string;
  readonly chunkIndex: number;
  readonly offset: number;

  constructor(codec: string, chunkIndex: number, offset: number, message: string, options: CaptureMediaErrorOptions = {}) {
    super('WimInvalid', `${codec} chunk ${chunkIndex} at input offset ${offset}: ${message}`, options);
    this.codec = codec;
    this.chunkIndex = chunkIndex;
    this.offset = offset;
  }
}
DecompressionError.prototype.name = 'DecompressionError';

/** A hash over content differs from the one recorded for it. */
export class IntegrityError extends CaptureMediaError {
  readonly expected: string;
  readonly actual: string;

  constructor(id: ErrorId, expected: string, actual: string, message: string, options: CaptureMediaErrorOptions = {}) {
    super(id, `${message} (expected ${expected}, got ${actual})`, options);
    this.expected = expected;
    this.actual = actual;
  }
}
IntegrityError.prototype.name = 'IntegrityError';

/** An external command (diskpart, lsblk, blockdev) failed; keep everything it said. */
export class DeviceError extends CaptureMediaError {
  readonly command: string;
  readonly args: readonly string[];
  readonly exitCode_: number | undefined;
  readonly stdout: string;
  readonly stderr: string;

  constructor(
    id: ErrorId,
    message: string,
    details: { command: string; args: readonly string[]; exitCode: number | undefined; stdout: string; stderr: string },
    options: CaptureMediaErrorOptions = {},
  ) {
    super(id, message, options);
    this.command = details.command;
    this.args = details.args;
    this.exitCode_ = details.exitCode;
    this.stdout = details.stdout;
    this.stderr = details.stderr;
  }
}
DeviceError.prototype.name = 'DeviceError';

/** Turn anything thrown into a CaptureMediaError, keeping the original as its cause. */
export function toCaptureMediaError(error: unknown): CaptureMediaError {
  if (error instanceof CaptureMediaError) return error;
  if (isAbortError(error)) return new CaptureMediaError('Cancelled', 'The operation was cancelled.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const code = errnoCode(error);
  if (code === 'ENOSPC') return new CaptureMediaError('WriteFailed', `No space left on the device: ${message}`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM')
    return new CaptureMediaError('PermissionDenied', `Access denied: ${message}`, { cause: error });
  return new CaptureMediaError('InternalError', `Unexpected error: ${message}`, { cause: error });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Throw `Cancelled` when the signal has fired; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CaptureMediaError('Cancelled', 'The operation was cancelled.');
}
