// Which INF Models section serves a given Windows image (Microsoft "INF Manufacturer section",
// "Combining platform extensions with operating system versions", "Creating INF files for
// multiple platforms and operating systems").
//
// A [Manufacturer] line names a models section and, optionally, TargetOSVersion decorations:
//   nt[Architecture][.[OSMajorVersion][.[OSMinorVersion][.[ProductType][.[SuiteMask][.[BuildNumber]]]]]]
// Windows uses the decorated section `<models>.<decoration>` that matches its architecture and is
// the closest version not above its own. Rules we follow, and why:
//   - no decorations at all: the undecorated section, on x86 only (Microsoft: since Server 2003
//     SP1, non-x86 targets need decorated sections);
//   - a decoration without an architecture (`NT.6.1`) matches every architecture;
//   - versions compare major, minor, then build; missing fields match anything (count as 0);
//   - among equal versions an explicit architecture wins over none;
//   - an image whose version we do not know takes the highest matching decoration.

export type InfArchitecture = 'x86' | 'x64' | 'arm64';

/** The TargetOSVersion architecture token of each boot image architecture. */
export const DECORATION_ARCHITECTURE: Readonly<Record<InfArchitecture, string>> = { x86: 'x86', x64: 'amd64', arm64: 'arm64' };

export interface TargetOs {
  readonly architecture: InfArchitecture;
  /** Windows version of the image as `major.minor.build[.spbuild]`; undefined when unknown. */
  readonly version?: string | undefined;
}

export interface Decoration {
  /** As written, e.g. `NTamd64.10.0...17763`. */
  readonly text: string;
  /** Lower-case architecture token, or undefined when the decoration names none. */
  readonly architecture: string | undefined;
  readonly major: number;
  readonly minor: number;
  readonly build: number;
}

const DECORATION = /^nt(x86|amd64|ia64|arm64|arm)?(?:\.(\d*)(?:\.(\d*)(?:\.([^.]*)(?:\.([^.]*)(?:\.(\d*))?)?)?)?)?$/i;

export function parseDecoration(text: string): Decoration | undefined {
  const m = DECORATION.exec(text.trim());
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined || s === '' ? 0 : Math.min(Number(s), Number.MAX_SAFE_INTEGER));
  return { text: text.trim(), architecture: m[1]?.toLowerCase(), major: num(m[2]), minor: num(m[3]), build: num(m[6]) };
}

function versionParts(version: string | undefined): [number, number, number] | undefined {
  if (version === undefined) return undefined;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * The models section a [Manufacturer] line leads to for `target`: `<models>.<decoration>` or the
 * bare name; undefined when no section of this line applies to the target.
 */
export function selectModelsSection(modelsSection: string, decorations: readonly string[], target: TargetOs): string | undefined {
  const listed = decorations.map((d) => d.trim()).filter((d) => d !== '');
  if (listed.length === 0) return target.architecture === 'x86' ? modelsSection : undefined;
  const wanted = DECORATION_ARCHITECTURE[target.architecture];
  const os = versionParts(target.version);
  const candidates = listed
    .map(parseDecoration)
    .filter((d): d is Decoration => d !== undefined && (d.architecture === undefined || d.architecture === wanted))
    .filter((d) => os === undefined || compare([d.major, d.minor, d.build], os) <= 0);
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => compare([b.major, b.minor, b.build], [a.major, a.minor, a.build]) || Number(b.architecture !== undefined) - Number(a.architecture !== undefined));
  return `${modelsSection}.${candidates[0]!.text}`;
}
