#!/usr/bin/env bash
# Builds the WIM test fixtures into the directory given as $1 (tests use test/.work/wim/).
# Deterministic input: pseudo-random bytes come from a seeded xorshift generator, text from seq/awk,
# x86-64 code from the installed GRUB modules (real CALL instructions, so LZX E8 translation is
# exercised). The WIMs are written by wimlib-imagex, the reference tool, and every test compares
# our extraction with `wimlib-imagex apply` of the same WIM.
#
# Layout (shaped like a WinPE boot image):
#   tree/Windows/Boot/{PCAT,EFI,DVD/EFI/en-US,DVD/PCAT,Fonts}/…, tree/sms/bin/x64/…
#   tree2/ (a second, smaller image)
# WIMs: none.wim xpress.wim xpress16k.wim lzx.wim lzx64k.wim lzx1m.wim multi.wim lzms.wim solid.wim solid-lzms.wim
#       small-lzx.wim small-xpress.wim small-none.wim (tiny trees for corruption and fuzz tests)
#       pipable.wim split.swm split2.swm (must be refused); ref-<wim>-<image>/ = wimlib-imagex apply
# No pipefail: `head` closing a pipe early (SIGPIPE upstream) is intended here.
set -eu

out=${1:?usage: make-wim-fixtures.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp="$out/.complete-v6"
# Test files run in parallel: one builder at a time, the others wait and then find the stamp.
exec 9>"$out/../.wim-fixtures.lock"
flock 9
[[ -f $stamp ]] && exit 0
rm -rf "${out:?}"/* "$out"/.complete-*

# rand SIZE SEED [FILE]: SIZE pseudo-random bytes (xorshift32 seeded with SEED), to FILE or stdout.
rand() {
  if [[ $# -ge 3 ]]; then rand "$1" "$2" >"$3"; return; fi
  node -e '
    const [size, seed] = process.argv.slice(1).map(Number);
    const buf = Buffer.alloc(size); let x = seed >>> 0 || 1;
    for (let i = 0; i < size; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; buf[i] = x & 0xff; }
    process.stdout.write(buf);' "$1" "$2"
}
# text LINES WORD [FILE]: highly compressible text, to FILE or stdout.
text() {
  if [[ $# -ge 3 ]]; then text "$1" "$2" >"$3"; return; fi
  seq 1 "$1" | awk -v w="$2" '{ printf "%s line %d of the capture media bootstrap log\r\n", w, $1 }'
}
# mods DIR COUNT SKIP: concatenated GRUB modules (real machine code), sorted for determinism.
mods() { find "$1" -maxdepth 1 -name '*.mod' | LC_ALL=C sort | sed -n "$(($3 + 1)),$(($3 + $2))p" | xargs cat; }

t="$out/tree"
mkdir -p "$t/Windows/Boot/PCAT" "$t/Windows/Boot/EFI" "$t/Windows/Boot/DVD/EFI/en-US" "$t/Windows/Boot/DVD/PCAT" \
  "$t/Windows/Boot/Fonts" "$t/sms/bin/x64/en-US" "$t/sms/data" "$t/Windows/System32/empty-dir"
efi=/usr/lib/grub/x86_64-efi
pc=/usr/lib/grub/i386-pc
mods "$pc" 40 0 >"$t/Windows/Boot/PCAT/bootmgr"
mods "$efi" 60 0 >"$t/Windows/Boot/EFI/bootmgfw.efi"
mods "$efi" 30 60 >"$t/Windows/Boot/EFI/bootmgr.efi"
rand 16384 11 "$t/Windows/Boot/DVD/EFI/BCD"
# efisys.bin: a 1.44 MB floppy image, mostly zeros with a little data.
{ rand 4096 12; head -c 1470464 /dev/zero; } >"$t/Windows/Boot/DVD/EFI/en-US/efisys.bin"
rand 12288 13 "$t/Windows/Boot/DVD/PCAT/BCD"
{ head -c 3000000 /dev/zero; rand 145408 14; } >"$t/Windows/Boot/DVD/PCAT/boot.sdi"
rand 4096 15 "$t/Windows/Boot/DVD/PCAT/etfsboot.com"
for f in DejaVuSans.ttf DejaVuSansMono.ttf DejaVuSerif-Bold.ttf; do
  cp /usr/share/fonts/truetype/dejavu/$f "$t/Windows/Boot/Fonts/"
done
x="$t/sms/bin/x64"
mods "$efi" 25 100 >"$x/TsmBootstrap.exe"
text 40000 TSM "$x/smsts.log"
text 3 short "$x/en-US/tsres.dll.mui"
: >"$x/empty.txt"
: >"$t/sms/data/Variables.dat"
rand 300000 21 "$x/random.bin"
# Sizes at the chunk edges for 32 KiB and 64 KiB chunks: −1, exact, +1, +7.
for n in 32767 32768 32769 32775 65535 65536 65537 65543; do text 2000 "c$n" | head -c "$n" >"$x/edge-$n.txt"; done
# Half text, half random per 32 KiB: chunks that compress only in part.
for i in 0 1 2 3 4 5; do text 400 "mix$i" | head -c 16384; rand 16384 $((30 + i)); done >"$x/mixed.bin"
printf 'unicode name\r\n' >"$x/données-ü.txt"

t2="$out/tree2"
mkdir -p "$t2/Windows/Boot/PCAT" "$t2/sms/bin/x86"
mods "$pc" 10 40 >"$t2/Windows/Boot/PCAT/bootmgr"
text 500 second "$t2/sms/bin/x86/readme.txt"

s="$out/small"
mkdir -p "$s/Windows/Boot/EFI" "$s/sms"
mods "$efi" 3 10 | head -c 40000 >"$s/Windows/Boot/EFI/bootmgfw.efi"
text 300 small "$s/sms/log.txt"
rand 5000 99 "$s/sms/rand.bin"

cap() { wimlib-imagex capture "$@" --no-acls --threads=1 >/dev/null; }
props=(--image-property WINDOWS/ARCH=9 --image-property WINDOWS/VERSION/MAJOR=10 --image-property WINDOWS/VERSION/MINOR=0
  --image-property WINDOWS/VERSION/BUILD=26100 --image-property WINDOWS/VERSION/SPBUILD=1)
cap "$t" "$out/none.wim" "Microsoft Windows PE (x64)" "Boot image" --compress=none "${props[@]}"
cap "$t" "$out/xpress.wim" "Microsoft Windows PE (x64)" "Boot image" --compress=xpress "${props[@]}"
cap "$t" "$out/xpress16k.wim" "WinPE" --compress=xpress --chunk-size=16384 "${props[@]}"
cap "$t" "$out/lzx.wim" "Microsoft Windows PE (x64)" "Boot image" --compress=lzx --boot "${props[@]}"
cap "$t" "$out/lzx64k.wim" "WinPE" --compress=lzx --chunk-size=65536 "${props[@]}"
cap "$t" "$out/lzx1m.wim" "WinPE" --compress=lzx --chunk-size=1048576 "${props[@]}"
cap "$t" "$out/multi.wim" "Full" "First image" --compress=lzx "${props[@]}"
wimlib-imagex append "$t2" "$out/multi.wim" "Second" "An x86 image" --no-acls --threads=1 --boot \
  --image-property WINDOWS/ARCH=0 >/dev/null
cap "$s" "$out/lzms.wim" "small" --compress=lzms
cap "$s" "$out/solid.wim" "small" --solid --compress=lzx --solid-compress=lzx
cap "$s" "$out/solid-lzms.wim" "small" --solid
cap "$s" "$out/small-lzx.wim" "small" --compress=lzx --image-property WINDOWS/ARCH=12
cap "$s" "$out/small-xpress.wim" "small" --compress=xpress
cap "$s" "$out/small-none.wim" "small" --compress=none

cap "$s" "$out/pipable.wim" "small" --compress=lzx --pipable 2>/dev/null
wimlib-imagex split "$out/lzx.wim" "$out/split.swm" 1 >/dev/null

# Reference extractions by wimlib.
for w in none xpress xpress16k lzx lzx64k lzx1m multi small-lzx small-xpress; do
  for i in $(wimlib-imagex info "$out/$w.wim" | awk '/^Image Count:/ { print $3 }' | xargs seq 1); do
    wimlib-imagex apply "$out/$w.wim" "$i" "$out/ref-$w-$i" --no-acls >/dev/null
  done
done
touch "$stamp"
