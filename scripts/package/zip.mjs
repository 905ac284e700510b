// A .zip of one folder, entries named from `base` with forward slashes (what Expand-Archive and
// every unzip expect), with a fixed timestamp so the same input gives the same bytes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

function filesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)]));
}

export function zipFolder(base, folder) {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 1_700_000_000);
  const mtime = new Date(Math.max(epoch, 315_532_800) * 1000); // zip dates start in 1980
  const entries = {};
  for (const file of filesUnder(join(base, folder))) {
    if (!statSync(file).isFile()) continue;
    entries[relative(base, file).split(/[\\/]/).join('/')] = [readFileSync(file), { mtime, level: 9 }];
  }
  return zipSync(entries);
}
