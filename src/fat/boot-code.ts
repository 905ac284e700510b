// A 32-byte real-mode x86 stub that prints a message and waits for a key, then asks the BIOS to
// try the next boot device (INT 19h). It goes into the MBR boot code area and the FAT32 boot
// sector's boot code area (+0x5A).
//
// BIOS (legacy/CSM) boot from our FAT32 USB media is NOT supported: there is no bootmgr loader in
// these sectors. Our USB media boot UEFI (\efi\boot\boot<arch>.efi); a BIOS that tries the disk
// gets a message instead of executing garbage. Hand-assembled; the layout is:
//
//   +0x00 FC          cld
//   +0x01 31 C0       xor ax, ax
//   +0x03 8E D8       mov ds, ax            ; BIOS loads us at 0000:7C00, address data from 0
//   +0x05 BE lo hi    mov si, 0x7C00 + base + 0x20
//   +0x08 AC          lodsb                 ; loop:
//   +0x09 22 C0       and al, al
//   +0x0B 74 0B       jz +0x0B (-> +0x18)
//   +0x0D 56          push si
//   +0x0E B4 0E       mov ah, 0x0E          ; teletype output
//   +0x10 BB 07 00    mov bx, 0x0007        ; page 0, light grey
//   +0x13 CD 10       int 0x10
//   +0x15 5E          pop si
//   +0x16 EB F0       jmp -0x10 (-> +0x08)
//   +0x18 32 E4       xor ah, ah            ; wait for a key
//   +0x1A CD 16       int 0x16
//   +0x1C CD 19       int 0x19              ; bootstrap loader: try the next device
//   +0x1E EB FE       jmp $
//   +0x20 message, NUL-terminated

export const BOOT_STUB_CODE_BYTES = 0x20;

export const NOT_BOOTABLE_MESSAGE =
  'This drive boots in UEFI mode only (BIOS boot is not supported).\r\nPress a key to try the next boot device.\r\n';

/**
 * The stub and its message, to be placed at byte `base` of a sector loaded at 0000:7C00.
 * `maxBytes` bounds the area it must fit in.
 */
export function bootStub(base: number, maxBytes: number, message = NOT_BOOTABLE_MESSAGE): Uint8Array {
  const text = new TextEncoder().encode(message);
  const out = new Uint8Array(BOOT_STUB_CODE_BYTES + text.length + 1);
  if (out.length > maxBytes) throw new RangeError(`boot stub needs ${out.length} bytes, ${maxBytes} available`);
  const messageAddress = 0x7c00 + base + BOOT_STUB_CODE_BYTES;
  out.set(
    [
      0xfc, 0x31, 0xc0, 0x8e, 0xd8, 0xbe, messageAddress & 0xff, messageAddress >> 8, 0xac, 0x22, 0xc0, 0x74, 0x0b, 0x56, 0xb4,
      0x0e, 0xbb, 0x07, 0x00, 0xcd, 0x10, 0x5e, 0xeb, 0xf0, 0x32, 0xe4, 0xcd, 0x16, 0xcd, 0x19, 0xeb, 0xfe,
    ],
    0,
  );
  out.set(text, BOOT_STUB_CODE_BYTES);
  return out;
}
