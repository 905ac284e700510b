#!/usr/bin/env bash
# Installs Pester 5 (NuGet package id `Pester`) into test/.work/Modules/Pester/<version>/ so the
# Pester suite (test/pester/) can run with PSModulePath pointing there. Idempotent: a second run
# with the module already in place does nothing. Prints the module folder (test/.work/Modules) on
# stdout as its last line; everything else goes to stderr.
#
# How: a throwaway SDK project with a <PackageDownload> item, restored by `dotnet restore` from
# whatever NuGet source `dotnet nuget list source` shows (no direct downloads). The package's
# tools/ folder is the PowerShell module itself.
#
# Environment: PESTER_VERSION (default 5.7.1).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${PESTER_VERSION:-5.7.1}"
modules="$root/test/.work/Modules"
target="$modules/Pester/$version"

if [ -f "$target/Pester.psd1" ]; then
  echo "Pester $version already installed in $target" >&2
  echo "$modules"
  exit 0
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-pester: dotnet is not on PATH; it is needed to restore the Pester NuGet package" >&2
  exit 1
fi

work="$root/test/.work/pester-restore"
rm -rf "$work"
mkdir -p "$work"
framework="net$(dotnet --version | cut -d. -f1).0"
cat >"$work/restore.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$framework</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="[$version]" />
  </ItemGroup>
</Project>
CSPROJ

echo "install-pester: restoring Pester $version from NuGet" >&2
dotnet restore "$work/restore.csproj" --packages "$work/packages" >&2

tools="$work/packages/pester/$version/tools"
if [ ! -f "$tools/Pester.psd1" ]; then
  echo "install-pester: the restored package has no tools/Pester.psd1 (looked in $tools)" >&2
  exit 1
fi
mkdir -p "$modules/Pester"
rm -rf "$target.partial"
cp -R "$tools" "$target.partial"
mv "$target.partial" "$target"
rm -rf "$work"
echo "install-pester: installed Pester $version in $target" >&2
echo "$modules"
