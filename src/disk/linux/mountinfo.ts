// /proc/self/mountinfo (proc(5)): one parser for everyone who asks what is mounted where.

export interface MountinfoEntry {
  readonly majorMinor: string;
  readonly mountpoint: string;
  readonly fsType: string;
  readonly source: string;
}

/** /proc/self/mountinfo (proc(5)): fields 3 and 5, then after " - ": fs type and mount source. */
export function parseMountinfo(text: string): MountinfoEntry[] {
  const entries: MountinfoEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const a = left.split(' ');
    const b = right.split(' ');
    if (a.length < 5 || b.length < 2) continue;
    entries.push({ majorMinor: a[2]!, mountpoint: unescapeOctal(a[4]!), fsType: b[0]!, source: unescapeOctal(b[1]!) });
  }
  return entries;
}

/** proc(5) escapes space, tab, newline and backslash in paths as \\ooo octal. */
export function unescapeOctal(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The file system type of the mount holding `path`: the longest mount point that contains it. */
export function fileSystemOf(path: string, entries: readonly MountinfoEntry[]): string | undefined {
  let best: MountinfoEntry | undefined;
  for (const entry of entries) {
    const mount = entry.mountpoint;
    const inside = path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`);
    if (inside && (!best || mount.length > best.mountpoint.length)) best = entry;
  }
  return best?.fsType;
}
