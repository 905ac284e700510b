// -Template: capture media the ConfigMgr console made (an ISO, a mounted USB drive, a folder).
// Its SMS\ tree — launcher, wizard, DLLs, language folders, and SMS\data\TsmBootstrap.ini — is
// copied byte for byte, and its autorun.inf is kept for -IncludeAutoRun; the boot files and
// sources\boot.wim come from the boot image chosen now, MediaLabel.txt from the label. This is
// how a console-made medium is rebuilt with a new boot image from a script.
//
// Console media may be UDF (CreateMedia /T:UDF, oscdimg -u2): the medium reader uses the UDF tree
// when there is one. An ISO whose ISO 9660/Joliet side holds no SMS\ folder and that has no UDF
// file system is refused: either it is not capture media, or it is a UDF-only disc whose UDF side
// could not be found, and its readme stub must never be taken for the content.

import { CaptureMediaError } from '../errors.js';
import type { TreeFile } from '../io/file-tree.js';
import { AUTORUN_MEDIA_PATH, SMS_MEDIA_ROOT } from '../layout/configmgr-names.js';
import type { ClientFiles } from '../layout/media-tree.js';
import type { MediumFile, OpenedMedium } from '../medium/open-medium.js';
import { openMediumOrSet } from '../medium/open-medium-set.js';

export interface OpenedTemplate {
  readonly clientFiles: ClientFiles;
  readonly medium: OpenedMedium;
  close(): Promise<void>;
}

const lower = (s: string) => s.toLowerCase();

export async function openTemplate(path: string): Promise<OpenedTemplate> {
  let medium: OpenedMedium;
  try {
    medium = await openMediumOrSet(path);
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError && error.id === 'MediaInvalid') {
      throw new CaptureMediaError('TemplateInvalid', `The template ${path} cannot be read as capture media: ${error.message}`, { target: path, cause: error });
    }
    throw error;
  }
  try {
    const root = lower(SMS_MEDIA_ROOT[0]!);
    // In one order whatever the template's file system lists them in, so the same template as a
    // folder, an ISO or a UDF disc gives byte-identical media (and manifest).
    const order = (f: MediumFile) => f.path.join('\\').toLowerCase();
    const sms = medium.files
      .filter((f) => f.path.length > 1 && lower(f.path[0]!) === root)
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    if (sms.length === 0) {
      const tree = medium.fileSystem === 'Joliet' || medium.fileSystem === 'ISO 9660'
        ? `Its ${medium.fileSystem} tree has no SMS\\ folder and the image has no UDF file system, so it is not console-made capture media (a UDF-only disc would show only a readme stub here).`
        : `Its ${medium.fileSystem} tree has no SMS\\ folder.`;
      throw new CaptureMediaError('TemplateInvalid', `The template ${path} holds no ConfigMgr files. ${tree} Name an ISO, drive or folder written by the console's Create Task Sequence Media wizard (Capture media).`, { target: path });
    }
    const source = (f: MediumFile): TreeFile => ({
      // The media path keeps the template's own spelling: "SMS" and its children as written.
      path: f.path,
      content: { sizeBytes: f.sizeBytes, stream: (signal) => medium.openFile(f, signal) },
    });
    const autorun = medium.files.find((f) => f.path.length === 1 && lower(f.path[0]!) === lower(AUTORUN_MEDIA_PATH[0]!));
    return {
      clientFiles: { origin: 'Template', where: path, files: sms.map(source), ...(autorun ? { autorun: source(autorun) } : {}) },
      medium,
      close: () => medium.close(),
    };
  } catch (error: unknown) {
    await medium.close();
    throw error;
  }
}
