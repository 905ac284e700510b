// Every path a job is given (CLI option or bridge field) is checked as a value before anything
// uses it: not empty, no NUL (the OS would cut the string there, or Node throws a TypeError), no
// lone UTF-16 surrogate (it has no UTF-8 form: the OS would get U+FFFD, another name than asked),
// and short enough for any file system we write (a component over 255 bytes, or a path over
// 32,767 characters - Windows' longest - fails with ENAMETOOLONG deep inside a job).
// Each option has its own error id, all exit 2.

import { CaptureMediaError, type ErrorId } from '../errors.js';

// Windows' longest path (with the \\?\ prefix); Linux's PATH_MAX is 4096 bytes with the NUL.
const MAX_PATH_CHARS = process.platform === 'win32' ? 32_767 : 4_095;
const MAX_COMPONENT_BYTES = 255;
// eslint-disable-next-line no-control-regex
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const shown = (value: string) => (value.length > 80 ? `${JSON.stringify(value.slice(0, 60))}… (${value.length} characters)` : JSON.stringify(value));

export function checkPathValue(value: string, option: string, id: ErrorId): void {
  const refuse = (why: string) => new CaptureMediaError(id, `${option} ${shown(value)} ${why}.`, { target: value.slice(0, 260) });
  if (value.trim() === '') throw refuse('is empty: give a file or folder path');
  if (value.includes('\0')) throw refuse('contains a NUL character, which no path can hold');
  if (LONE_SURROGATE.test(value)) throw refuse('contains a lone UTF-16 surrogate (not a character): retype the path');
  if (value.length > MAX_PATH_CHARS) throw refuse(`is longer than ${MAX_PATH_CHARS} characters, more than any file system accepts`);
  const long = value.split(/[\\/]/).find((part) => Buffer.byteLength(part, 'utf8') > MAX_COMPONENT_BYTES);
  if (long !== undefined) throw refuse(`has a name of ${Buffer.byteLength(long, 'utf8')} bytes (${shown(long)}); a file or folder name holds at most ${MAX_COMPONENT_BYTES}`);
}

/** The path-typed parameters of every command, with the id each one's refusal carries. */
type PathParam = 'path' | 'bootImage' | 'distributionPoint' | 'temporaryFolder' | 'logPath' | 'clientSource' | 'template' | 'referencePath' | 'differencePath';
const PATH_PARAMS: readonly { key: PathParam; option: string; id: ErrorId }[] = [
  { key: 'path', option: '--path', id: 'InvalidParameter' },
  { key: 'bootImage', option: '--boot-image', id: 'InvalidParameter' },
  { key: 'distributionPoint', option: '--distribution-point', id: 'InvalidParameter' },
  { key: 'temporaryFolder', option: '--temporary-folder', id: 'TemporaryFolderInvalid' },
  { key: 'logPath', option: '--log-path', id: 'LogPathInvalid' },
  { key: 'clientSource', option: '--client-source', id: 'InvalidParameter' },
  { key: 'template', option: '--template', id: 'InvalidParameter' },
  { key: 'referencePath', option: '--reference-path', id: 'InvalidParameter' },
  { key: 'differencePath', option: '--difference-path', id: 'InvalidParameter' },
];

export function checkPathParams(params: Readonly<Partial<Record<PathParam, unknown>>>): void {
  for (const { key, option, id } of PATH_PARAMS) {
    const value: unknown = params[key];
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const v of values) if (typeof v === 'string') checkPathValue(v, option, id);
  }
}
