// Where PowerShell 7 is: $PWSH, PATH, or ~/.dotnet/tools (where `dotnet tool install --global
// PowerShell`, run by scripts/setup.sh, puts it without adding it to PATH).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export function findPwsh(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PWSH) candidates.push(process.env.PWSH);
  const exe = process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, exe));
  candidates.push(join(homedir(), '.dotnet', 'tools', exe));
  return candidates.find((c) => existsSync(c));
}
