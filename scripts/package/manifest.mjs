// Stamps the module manifest (module/CaptureMedia.psd1) for a release: the version from
// package.json and the PSData block a gallery shows (tags, licence, project page, release notes).
// The source manifest keeps its own literal version so the module imports from a checkout; a test
// keeps that literal equal to package.json's.

const TAGS = ['ConfigMgr', 'SCCM', 'MECM', 'CaptureMedia', 'WinPE', 'ISO', 'USB', 'OSD', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux'];
const LICENSE_URI = 'https://opensource.org/licenses/MIT';

/** The text under `## <version>` in CHANGELOG.md, up to the next `## ` heading. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) throw new Error(`CHANGELOG.md has no "## ${version}" section: write the release notes for ${version} there`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;

export function stampManifest(source, { version, releaseNotes: notes, projectUri }) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`package.json version ${version} is not MAJOR.MINOR.PATCH, which PowerShell's ModuleVersion needs`);
  const versionLine = /^(\s*ModuleVersion\s*=\s*)'[^']*'/m;
  if (!versionLine.test(source)) throw new Error('module/CaptureMedia.psd1 has no ModuleVersion line');
  const psData = /PSData\s*=\s*@\{[\s\S]*?\n(\s*)\}/;
  if (!psData.test(source)) throw new Error('module/CaptureMedia.psd1 has no PSData block');
  // Release notes go in a single-quoted here-string; its only terminator is a line starting '@.
  const safeNotes = notes.replace(/^'@/gm, " '@");
  const block = [
    'PSData = @{',
    `            Tags         = @(${TAGS.map(quote).join(', ')})`,
    `            LicenseUri   = ${quote(LICENSE_URI)}`,
    ...(projectUri ? [`            ProjectUri   = ${quote(projectUri)}`] : []),
    `            ReleaseNotes = @'\n${safeNotes}\n'@`,
    '        }',
  ].join('\n');
  return source.replace(versionLine, `$1'${version}'`).replace(psData, block);
}
