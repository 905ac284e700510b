#!/usr/bin/env bash
# Installs everything the demo and the test suite need on a fresh Debian 12 machine (run as root):
# the real tools the tests compare against, PowerShell 7 (as a dotnet global tool) with Pester 5,
# and the npm dependencies. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  wimtools            # wimlib-imagex: makes the WIM fixtures and is the reference extractor
  xorriso genisoimage # ISO checks (xorriso -report_el_torito, isoinfo) and the peer for benchmarks
  p7zip-full          # 7z l: an independent ISO reader
  mtools dosfstools   # mdir/mcopy/mlabel and fsck.fat/mkfs.fat: FAT32 checks and benchmark peer
  fdisk               # sfdisk: partition table checks
  e2fsprogs           # mkfs.ext4: a mounted partition for the disk-safety tests
  qemu-system-x86 ovmf # boot the media in real UEFI (OVMF; its .ms.fd pair enforces Secure Boot with Microsoft keys) and BIOS (SeaBIOS) firmware
  grub-efi-amd64-bin grub-pc-bin grub-common # a real EFI program for the sample boot image
  nasm                # assembles the sample's BIOS boot program (scripts/fixtures/bios-marker.asm)
  time                # /usr/bin/time -v: peak RSS in the benchmark
  util-linux          # losetup, lsblk, blockdev, setpriv
  shim-signed grub-efi-amd64-signed # real Microsoft- and Debian-signed EFI programs: the Authenticode reader's tests and the Secure Boot boot proof
  sbsigntool osslsigncode openssl # sbsign/sbverify, nested signatures, and the test CA's keys: EFI programs signed by the tests
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PowerShell is pinned: without --version, `dotnet tool install` takes the newest listed release,
# and the NuGet feed this project is built against lists releases whose runtime package it does not
# serve (7.7.0 fails that way). test/setup/pinned-tools.test.ts checks that the suite's pwsh is this
# version, so a drift is caught by the tests rather than by a fresh machine.
POWERSHELL_VERSION="7.6.10"

export PATH="$PATH:$HOME/.dotnet/tools"
installed_pwsh="$(dotnet tool list --global 2>/dev/null | awk '$1 == "powershell" { print $2 }')"
if [ "$installed_pwsh" != "$POWERSHELL_VERSION" ]; then
  if [ -n "$installed_pwsh" ]; then
    echo "setup: replacing PowerShell $installed_pwsh with the pinned $POWERSHELL_VERSION"
    dotnet tool uninstall --global PowerShell >/dev/null
  else
    echo "setup: installing PowerShell $POWERSHELL_VERSION (dotnet tool)"
  fi
  dotnet tool install --global PowerShell --version "$POWERSHELL_VERSION" >/dev/null
elif ! command -v pwsh >/dev/null 2>&1; then
  echo "setup: PowerShell $POWERSHELL_VERSION is installed as a dotnet tool but pwsh is not on PATH" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi

if [ -f scripts/install-pester.sh ]; then
  bash scripts/install-pester.sh
fi
echo "setup: ready"
