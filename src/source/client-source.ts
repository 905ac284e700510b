// -ClientSource: the site's OSD\bin folder (\\<siteserver>\SMS_<sitecode>\OSD\bin), whose i386 and
// x64 folders hold the capture launcher TSMBAutorun.exe and the Image Capture Wizard it starts.
// The folder(s) for the boot image's architecture become SMS\bin\<folder> on the media, byte for
// byte: every file is listed here with its size and streamed once by the writer, which hashes it
// into the manifest as it goes. The boot image's own sms\bin is then not used at all (the client
// source wins entirely; WinPE keeps its copy inside boot.wim, which is what runs after reboot).

import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CaptureMediaError } from '../errors.js';
import { listFolderFiles, unreadable } from '../io/folder-files.js';
import { fileSource } from '../io/content.js';
import type { TreeFile } from '../io/file-tree.js';
import { CAPTURE_LAUNCHER, CLIENT_SOURCE_EXAMPLE, SMS_BIN_FOLDERS, SMS_BIN_MEDIA_DIR } from '../layout/configmgr-names.js';
import type { ClientFiles } from '../layout/media-tree.js';
import type { Architecture } from '../plan/architecture.js';

/** The child of `dir` named `name`, matched without regard to case (a share copied to Linux may say X64). */
async function findChild(dir: string, name: string): Promise<string | undefined> {
  const entries = await readdir(dir, { withFileTypes: true });
  const hit = entries.find((e) => e.isDirectory() && e.name.toLowerCase() === name.toLowerCase());
  return hit === undefined ? undefined : join(dir, hit.name);
}

export async function readClientSource(folder: string, architecture: Architecture): Promise<ClientFiles> {
  const root = resolve(folder);
  let s: Stats;
  try {
    s = await lstat(root);
  } catch (error: unknown) {
    throw unreadable(root, error, 'ClientSourceInvalid');
  }
  if (!s.isDirectory()) throw new CaptureMediaError('ClientSourceInvalid', `The client source ${root} is not a folder; name the site's OSD\\bin folder, e.g. ${CLIENT_SOURCE_EXAMPLE}.`, { target: root });
  const wanted = SMS_BIN_FOLDERS[architecture];
  const files: TreeFile[] = [];
  let found = 0;
  for (const name of wanted) {
    let dir: string | undefined;
    try {
      dir = await findChild(root, name);
    } catch (error: unknown) {
      throw unreadable(root, error, 'ClientSourceInvalid');
    }
    if (dir === undefined) continue;
    found += 1;
    for (const f of await listFolderFiles(dir, 'ClientSourceInvalid')) {
      files.push({ path: [...SMS_BIN_MEDIA_DIR(name), ...f.relative], content: fileSource(f.fullPath, f.sizeBytes), modified: f.modified });
    }
  }
  if (found === 0) {
    throw new CaptureMediaError(
      'ClientSourceInvalid',
      `The client source ${root} has no ${wanted.join(' or ')} folder for the ${architecture} boot image. Name the site's OSD\\bin folder (e.g. ${CLIENT_SOURCE_EXAMPLE}), whose ${wanted.join(' and ')} folder${wanted.length > 1 ? 's hold' : ' holds'} ${CAPTURE_LAUNCHER}, not the architecture folder itself.`,
      { target: root },
    );
  }
  return { origin: 'ClientSource', where: root, files };
}
