// The one timestamp every structure of a build carries. SOURCE_DATE_EPOCH (reproducible-builds.org)
// makes two builds of the same input byte-identical.

import { CaptureMediaError } from '../errors.js';

export function recordedAt(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return now();
  if (!/^\d+$/.test(epoch)) {
    throw new CaptureMediaError('InvalidParameter', `SOURCE_DATE_EPOCH="${epoch}" is not a number of seconds since 1970.`, { target: epoch });
  }
  return new Date(Number(epoch) * 1000);
}
