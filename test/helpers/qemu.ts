// Boots a media image (ISO or raw USB disk image) in QEMU and waits for a
// marker string on the guest's first serial port (COM1).
//
// Used by the boot-proof tests: the sample boot image's stand-in boot programs
// (scripts/make-sample-bootimage.sh) print CAPTURE-MEDIA-BIOS-BOOT-OK /
// CAPTURE-MEDIA-UEFI-BOOT-OK on COM1, so finding the marker proves the firmware
// booted the media the way it would boot Windows PE from it.
//
// Environment overrides:
//   CAPTURE_MEDIA_QEMU            qemu binary (default qemu-system-x86_64)
//   CAPTURE_MEDIA_QEMU_ACCEL      kvm | tcg | auto (default auto: KVM when /dev/kvm
//                                 opens read-write, falling back to TCG for the rest
//                                 of the process if KVM turns out not to work)
//   CAPTURE_MEDIA_OVMF_CODE       OVMF code flash image (pflash unit 0, read-only)
//   CAPTURE_MEDIA_OVMF_VARS       OVMF variable store template (copied per run)
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, closeSync, openSync, rmSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSecureBootOvmf, SECURE_BOOT_MACHINE, SECURE_BOOT_QEMU_ARGS } from './qemu-secure-boot.js';

export type MediaKind = 'iso' | 'usb';
export type Firmware = 'uefi' | 'bios';
export type Accelerator = 'kvm' | 'tcg';

export interface BootOptions {
  /** Path to the ISO file or the raw USB disk image. */
  image: string;
  /** 'iso': attached as a CD-ROM; 'usb': attached as a USB mass-storage stick (xHCI). */
  kind: MediaKind;
  /** 'uefi': OVMF; 'bios': SeaBIOS (QEMU's default firmware). */
  firmware: Firmware;
  /** Text to wait for on COM1. */
  marker: string;
  /** Give up (and kill QEMU) after this long. Default 60000. */
  timeoutMs?: number;
  /**
   * UEFI only: Secure Boot enforced, with Microsoft's keys enrolled (qemu-secure-boot.ts: Debian's
   * OVMF_CODE_4M.ms.fd + OVMF_VARS_4M.ms.fd on q35 with SMM and a secure flash).
   */
  secureBoot?: boolean;
}

export interface BootResult {
  /** The marker appeared on COM1 before the timeout and before QEMU exited. */
  found: boolean;
  /** Everything the guest wrote to COM1 (raw, may contain ANSI escapes). */
  serialLog: string;
  /** Wall-clock time from starting QEMU to the marker, exit or timeout. */
  elapsedMs: number;
}

export interface OvmfFirmware {
  /** Code image: pflash unit 0 (with vars) or -bios (when vars is undefined). */
  code: string;
  /** Variable store template; each run gets its own writable copy. */
  vars: string | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Where distributions put OVMF: Debian/Ubuntu first, then Fedora, Arch, and the combined image. */
const OVMF_CANDIDATES: ReadonlyArray<OvmfFirmware> = [
  { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
  { code: '/usr/share/edk2/ovmf/OVMF_CODE.fd', vars: '/usr/share/edk2/ovmf/OVMF_VARS.fd' },
  { code: '/usr/share/edk2/x64/OVMF_CODE.4m.fd', vars: '/usr/share/edk2/x64/OVMF_VARS.4m.fd' },
  { code: '/usr/share/edk2-ovmf/x64/OVMF_CODE.fd', vars: '/usr/share/edk2-ovmf/x64/OVMF_VARS.fd' },
  { code: '/usr/share/qemu/OVMF.fd', vars: undefined },
  { code: '/usr/share/ovmf/OVMF.fd', vars: undefined },
];

/** The OVMF firmware to use (env override first), or undefined when none is installed. */
export function findOvmf(): OvmfFirmware | undefined {
  const code = process.env.CAPTURE_MEDIA_OVMF_CODE;
  if (code) return { code, vars: process.env.CAPTURE_MEDIA_OVMF_VARS || undefined };
  return OVMF_CANDIDATES.find((c) => existsSync(c.code) && (c.vars === undefined || existsSync(c.vars)));
}

/** The QEMU binary to run. */
export function qemuBinary(): string {
  return process.env.CAPTURE_MEDIA_QEMU || 'qemu-system-x86_64';
}

let kvmBroken = false;

/** The accelerator the next boot will use. */
export function chooseAccelerator(): Accelerator {
  const forced = process.env.CAPTURE_MEDIA_QEMU_ACCEL;
  if (forced === 'kvm' || forced === 'tcg') return forced;
  if (kvmBroken) return 'tcg';
  try {
    const fd = openSync('/dev/kvm', 'r+');
    closeSync(fd);
    return 'kvm';
  } catch {
    return 'tcg';
  }
}

// Every QEMU we start, so that nothing survives the test process.
const running = new Set<ChildProcess>();
// Per-run scratch directories (OVMF variable store copies), removed even on a signal.
const scratchDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const c of running) killHard(c);
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killAll);
  // 'exit' does not run when a signal ends the process (node --test cancels
  // a file with SIGTERM): kill QEMU, then die of the same signal.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}
function track(child: ChildProcess): void {
  installExitHook();
  running.add(child);
}
function killHard(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** QEMU -drive option values: a comma inside a value is written as two commas. */
function driveFile(path: string): string {
  return path.replaceAll(',', ',,');
}

export function qemuArgs(
  options: Pick<BootOptions, 'image' | 'kind' | 'firmware' | 'secureBoot'>,
  accel: Accelerator,
  firmware: { code: string; vars: string | undefined } | undefined,
): string[] {
  const secure = options.firmware === 'uefi' && options.secureBoot === true;
  const args = [
    '-machine', options.firmware === 'uefi' ? (secure ? SECURE_BOOT_MACHINE : 'q35') : 'pc',
    '-accel', accel,
    '-m', '256',
    '-smp', '1',
    '-display', 'none',
    '-monitor', 'none',
    '-parallel', 'none',
    '-serial', 'stdio',
    '-nic', 'none',
    '-no-reboot',
  ];
  if (accel === 'kvm') args.push('-cpu', 'host');
  if (secure) args.push(...SECURE_BOOT_QEMU_ARGS);
  if (options.firmware === 'uefi') {
    if (!firmware) throw new Error('UEFI boot requested but no OVMF firmware found (apt-get install ovmf)');
    if (firmware.vars === undefined) {
      args.push('-bios', firmware.code);
    } else {
      args.push(
        '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${driveFile(firmware.code)}`,
        '-drive', `if=pflash,format=raw,unit=1,file=${driveFile(firmware.vars)}`,
      );
    }
  }
  const file = driveFile(options.image);
  if (options.kind === 'iso') {
    args.push(
      '-drive', `if=none,id=cd,media=cdrom,format=raw,readonly=on,file=${file}`,
      '-device', 'ide-cd,drive=cd,bootindex=0',
    );
  } else {
    // snapshot=on: the guest's writes go to a temporary overlay, never to the image.
    args.push(
      '-device', 'qemu-xhci,id=xhci',
      '-drive', `if=none,id=stick,format=raw,snapshot=on,file=${file}`,
      '-device', 'usb-storage,bus=xhci.0,drive=stick,bootindex=0',
    );
  }
  return args;
}

const KVM_FAILURE = /KVM internal error|failed to initialize kvm|Could not access KVM/i;

interface Attempt extends BootResult {
  kvmFailed: boolean;
}

function runOnce(args: string[], marker: string, timeoutMs: number): Promise<Attempt> {
  return new Promise<Attempt>((resolve, reject) => {
    const started = Date.now();
    let serialLog = '';
    let stderr = '';
    let settled = false;
    const child = spawn(qemuBinary(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    track(child);

    const finish = (found: boolean, kvmFailed: boolean, error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killHard(child);
      const elapsedMs = Date.now() - started;
      let reported = false;
      const done = (): void => {
        if (reported) return;
        reported = true;
        running.delete(child);
        if (error) reject(error);
        else resolve({ found, serialLog, elapsedMs, kvmFailed });
      };
      if (child.exitCode !== null || child.signalCode !== null) done();
      else {
        child.once('close', done);
        setTimeout(done, 5000).unref(); // a spawn that failed may never close
      }
    };

    const timer = setTimeout(() => finish(false, false), timeoutMs);
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      serialLog += chunk;
      if (serialLog.includes(marker)) finish(true, false);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (KVM_FAILURE.test(stderr)) finish(false, true);
    });
    child.on('error', (err) => finish(false, false, new Error(`cannot run ${qemuBinary()}: ${err.message}`)));
    child.on('close', (code) => {
      if (settled) return;
      // QEMU is gone: the guest powered off (GRUB's halt), or QEMU failed.
      if (KVM_FAILURE.test(stderr)) finish(false, true);
      else if (code !== 0 && serialLog === '') {
        finish(false, false, new Error(`${qemuBinary()} exited with ${code}: ${stderr.trim()}`));
      } else finish(serialLog.includes(marker), false);
    });
  });
}

/**
 * Boots `image` in QEMU and resolves as soon as `marker` appears on COM1
 * (found: true), QEMU exits (found: whether the marker was printed), or the
 * timeout passes (found: false). QEMU is always killed before this settles.
 * Rejects when QEMU cannot be started, the image is missing, or UEFI is
 * asked for and no OVMF is installed.
 */
export async function bootAndWaitForMarker(options: BootOptions): Promise<BootResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!options.marker) throw new Error('marker must not be empty');
  const kind = statSync(options.image);
  if (!kind.isFile() && !kind.isBlockDevice()) throw new Error(`${options.image}: not a file or block device`);
  accessSync(options.image, fsConstants.R_OK);

  installExitHook();
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'capture-media-qemu-'));
  scratchDirs.add(scratch);
  try {
    let firmware: { code: string; vars: string | undefined } | undefined;
    if (options.firmware === 'uefi') {
      const ovmf = options.secureBoot ? findSecureBootOvmf() : findOvmf();
      if (!ovmf) throw new Error('UEFI boot requested but no OVMF firmware found (apt-get install ovmf)');
      let vars: string | undefined;
      if (ovmf.vars !== undefined) {
        vars = join(scratch, 'OVMF_VARS.fd');
        await copyFile(ovmf.vars, vars);
      }
      firmware = { code: ovmf.code, vars };
    }
    for (;;) {
      const accel = chooseAccelerator();
      const remaining = Math.max(1, timeoutMs - (Date.now() - started));
      const attempt = await runOnce(qemuArgs(options, accel, firmware), options.marker, remaining);
      if (attempt.kvmFailed && accel === 'kvm' && process.env.CAPTURE_MEDIA_QEMU_ACCEL !== 'kvm') {
        kvmBroken = true; // /dev/kvm opens but cannot run the guest: use TCG from now on
        if (firmware?.vars !== undefined) {
          const ovmf = options.secureBoot ? findSecureBootOvmf() : findOvmf();
          if (ovmf?.vars) await copyFile(ovmf.vars, firmware.vars);
        }
        continue;
      }
      return { found: attempt.found, serialLog: attempt.serialLog, elapsedMs: Date.now() - started };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
    scratchDirs.delete(scratch);
  }
}
