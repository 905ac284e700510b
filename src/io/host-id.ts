// Which machine (and, on Linux, which PID namespace) this process runs on, as 8 hex digits for
// temporary-file names. "Is the process that made this file still running?" can only be answered
// for processes we can see: the same host and the same PID namespace (two containers on one host,
// or two servers writing to one share, each have their own pid 1234). A file whose name carries
// another host id is never judged by its pid (see atomic-output.ts).

import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

let cached: string | undefined;

function pidNamespace(): string {
  if (process.platform !== 'linux') return '';
  try {
    return readlinkSync('/proc/self/ns/pid'); // "pid:[4026531836]": one value per PID namespace
  } catch {
    return '';
  }
}

export function hostId(): string {
  cached ??= createHash('sha256').update(`${hostname().toLowerCase()}\0${pidNamespace()}`).digest('hex').slice(0, 8);
  return cached;
}
