// Linux dev_t numbers as "major:minor", the form lsblk prints in MAJ:MIN and sysfs uses in
// /sys/dev/block/<major>:<minor>.

/** dev_t → "major:minor" (glibc gnu_dev_major/gnu_dev_minor; Node's stat returns the glibc encoding). */
export function majorMinorOf(dev: number | bigint): string {
  const d = BigInt(dev);
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
  const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}
