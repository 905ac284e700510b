#!/usr/bin/env -S node --max-semi-space-size=1
// capture-media CLI (README "CLI"). argv is parsed inside main(); importing this module runs nothing
// unless it is the entry point. The shebang keeps V8's young generation at 1 MiB: media creation
// streams through many short-lived 1 MiB buffers, and the default lets peak RSS reach ~170 MB
// where 1 MiB keeps it ~125 MB at no cost in speed (docs/benchmarks.md). `env -S` splits it.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { paramsOutsideSchema } from '../bridge/schema.js';
import { CaptureMediaError, EXIT_CANCELLED, EXIT_INVALID_ARGUMENT, EXIT_MEDIA_DIFFER, EXIT_OK } from '../errors.js';
import { formatDriverTable } from './driver-table.js';
import { VERSION } from '../version.js';
import { writeAndWait } from '../io/write-and-wait.js';
import { armCancelDeadline, CANCEL_DEADLINE_MS } from '../job/cancel-deadline.js';
import type { CommandName, CommandParams } from '../job/commands/params.js';
import { dispatchEvent, reporterFor } from '../job/events.js';
import { errorEvent, runJob } from '../job/run-job.js';
import { CliPresenter, formatCompareText, formatResultText } from './present.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface CommonOptions {
  json?: boolean;
  verbose?: boolean;
}

type CliOptions = CommonOptions & CommandParams & { mediaType?: string; path?: string[] };

function toParams(command: CommandName, options: CliOptions): CommandParams {
  const { json: _json, verbose: _verbose, ...rest } = options;
  const params = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as CommandParams;
  // The CLI and the bridge must mean the same thing: check the CLI's parameters against the
  // bridge schema, so a flag whose name does not map is a loud bug, never silently ignored.
  const outside = paramsOutsideSchema(params);
  if (outside.length > 0) {
    throw new CaptureMediaError('InternalError', `CLI options of ${command} do not map onto the bridge request: ${outside.join(', ')}`);
  }
  return params;
}

async function present(command: CommandName, options: CliOptions, listCommand: boolean): Promise<number> {
  const json = options.json === true;
  const presenter = new CliPresenter(process.stderr, json, options.verbose === true);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals === 1) {
      process.stderr.write('\nCancelling: cleaning up (press Ctrl+C again to stop at once)...\n');
      controller.abort();
      armCancelDeadline(() => {
        process.stderr.write(`Cancelled: cleanup did not finish within ${CANCEL_DEADLINE_MS / 1000} s; stopping now (the next run removes what is left).\n`);
        if (json) {
          const { type: _type, ...error } = errorEvent(new CaptureMediaError('Cancelled', 'The operation was cancelled.'));
          process.stdout.write(`${JSON.stringify({ error })}\n`);
        }
        process.exit(EXIT_CANCELLED);
      });
    } else {
      process.exit(EXIT_CANCELLED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed session (logoff, an ssh drop) sends SIGHUP: clean up as for Ctrl+C.
  process.on('SIGHUP', onSignal);

  const outcome = await runJob(command, toParams(command, options), reporterFor(presenter.handlers), controller.signal);
  if (outcome.error) {
    await dispatchEvent(errorEvent(outcome.error), presenter.handlers);
    return outcome.exitCode;
  }
  const results = presenter.results;
  if (json) {
    const payload = listCommand || results.length !== 1 ? results : results[0];
    await writeAndWait(process.stdout, `${JSON.stringify(payload, null, 2)}\n`);
  } else {
    const format = command === 'compare' ? formatCompareText : formatResultText;
    const text = command === 'boot-images' && options.drivers === true ? `${formatDriverTable(results)}\n` : results.map(format).join('\n\n') + (results.length ? '\n' : '');
    await writeAndWait(process.stdout, text);
  }
  // compare: like diff, a distinct exit when the media differ beyond what was expected.
  if (command === 'compare' && results.some((r) => r.Same === false)) return EXIT_MEDIA_DIFFER;
  return EXIT_OK;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('capture-media')
    .description('Build Configuration Manager capture media: bootable ISO sets and FAT32 USB drives from a WinPE boot image.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const common = (cmd: Command) =>
    cmd.option('--json', 'print the result (or error) as JSON on stdout').option('--verbose', 'show verbose messages on stderr');

  common(
    program
      .command('create')
      .description('Create capture media (ISO file set, USB drive or USB disk image).')
      .addOption(new Option('--media-type <type>', 'cddvd, usb or usbimage').makeOptionMandatory())
      .requiredOption('--path <path>', 'output ISO/image file, or USB disk (repeat for several drives)', collect)
      .requiredOption('--boot-image <id|file.wim>', 'boot image package id (with --distribution-point) or a .wim file')
      .option('--distribution-point <dir>', 'content library root (repeatable)', collect)
      .option('--target-architecture <arch>', 'x86, x64 or arm64: refuse boot images that cannot serve it')
      .option('--media-size <size>', 'cddvd: Size650MB, Size4GB, Size8GB, SizeUnlimited or e.g. 700MB')
      .option('--media-label <label>', 'media label (default "Configuration Manager")')
      .option('--temporary-folder <dir>', 'temporary folder, kept off the target disks (default: the OS temp folder)')
      .option('--include-autorun', 'write autorun.inf')
      .option('--format-media', 'usb: erase the drive and format it FAT32 (without it: copy onto its FAT32 volume)')
      .option('--no-format', 'usb: copy onto the existing volume (the default; kept for old scripts)')
      .option('--no-verify', 'skip read-back verification')
      .option('--force', 'replace an existing output file once the new one is complete')
      .option('--log-path <file>', 'CMTrace log file')
      .option('--image-size <size>', 'usbimage: image size, e.g. 2GB')
      .option('--yes', 'usb with --format-media: confirm that the drive may be erased')
      .option('--allow-fixed-disk', 'usb: allow a disk that is not removable/USB')
      .option('--what-if', 'validate and show what would be done, change nothing')
      .option('--client-source <dir>', "the site's OSD\\bin folder (\\\\siteserver\\SMS_<code>\\OSD\\bin): SMS\\bin\\<arch> with the capture launcher")
      .option('--template <path>', 'capture media made by the ConfigMgr console (ISO, drive, folder): its SMS\\ tree is copied')
      .option('--require-capture-launcher', 'fail (CaptureLauncherMissing) instead of warning when the media would have no TSMBAutorun.exe')
      .option('--require-hardware-id <[class:]id[,id…]>', "fail unless the boot image has a driver for this device (repeatable; one device's ids comma-separated)", collect)
      .option('--boot-manager <2011|2023>', 'UEFI boot manager: 2011 (default) or 2023 (signed by Windows UEFI CA 2023)'),
  ).action(async (options: CliOptions & { format?: boolean; verify?: boolean; whatIf?: boolean }) => {
    // Commander turns --no-format into format=false and --include-autorun into includeAutorun;
    // the core speaks noFormat/noVerify/includeAutoRun (the bridge's names).
    const { format, verify, includeAutorun, ...rest } = options as typeof options & { includeAutorun?: boolean };
    setExit(
      await present(
        'create',
        { ...rest, ...(format === false ? { noFormat: true } : {}), ...(verify === false ? { noVerify: true } : {}), ...(includeAutorun ? { includeAutoRun: true } : {}) },
        false,
      ),
    );
  });

  common(
    program
      .command('boot-images')
      .description('List boot images in content libraries or .wim files.')
      .option('--distribution-point <dir>', 'content library root (repeatable)', collect)
      .option('--path <file.wim>', 'a boot image file (repeatable)', collect)
      .option('--drivers', "list each boot image's network and storage drivers (INF packages) instead")
      .option('--driver-class <class>', 'with --drivers: setup class to list instead of Net, SCSIAdapter, HDC (repeatable; * for all)', collect),
  ).action(async (options: CliOptions) => setExit(await present('boot-images', options, true)));

  common(
    program
      .command('disks')
      .description('List candidate target disks with the safety verdict for each.')
      .option('--allow-fixed-disk', 'judge as create --allow-fixed-disk would: a fixed disk is not refused for being fixed'),
  ).action(async (options: CliOptions) =>
    setExit(await present('disks', options, true)),
  );

  common(
    program
      .command('verify')
      .description('Re-verify written media against its manifest.')
      .requiredOption('--path <path>', 'ISO file, image file or drive (repeatable)', collect)
      .option('--require-hardware-id <[class:]id[,id…]>', "also fail unless the medium's boot image has a driver for this device (repeatable)", collect),
  ).action(async (options: CliOptions) => setExit(await present('verify', options, true)));

  common(
    program
      .command('compare')
      .description('Compare capture media file by file (and El Torito, labels, TsmBootstrap.ini): console-made reference against ours.')
      .requiredOption('--reference-path <path>', 'the reference medium (made by the ConfigMgr console): ISO, USB image or drive, or folder')
      .requiredOption('--difference-path <path>', 'the medium to check against it (ours)')
      .option('--expect-different <path>', "a media path (wildcards * ?) or name such as 'Label*' whose difference is expected (repeatable)", collect),
  ).action(async (options: CliOptions) => setExit(await present('compare', options, false)));

  program
    .command('bridge')
    .description('Read one JSON request on stdin and write NDJSON events on stdout (used by the PowerShell module).')
    .action(async () => {
      // Loaded on use: the bridge's request validation (Ajv) is not needed by the other commands.
      const { runBridge } = await import('../bridge/run-bridge.js');
      setExit(await runBridge());
    });

  return program;
}

/**
 * Commander keeps the last value of an option given twice (--media-size 650MB … --media-size 8GB);
 * a script with a leftover duplicate would silently get the other value. Only options that
 * collect values (--path, --distribution-point) may repeat.
 */
function repeatedSingleValueOption(program: Command, argv: readonly string[]): string | undefined {
  const command = program.commands.find((c) => c.name() === argv[0]);
  if (command === undefined) return undefined;
  for (const option of command.options) {
    const takesOneValue = (option.required || option.optional) && option.parseArg === undefined;
    if (!takesOneValue || option.long === undefined) continue;
    const long = option.long;
    const count = argv.slice(1).filter((a) => a === long || a.startsWith(`${long}=`)).length;
    if (count > 1) return long;
  }
  return undefined;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  const repeated = repeatedSingleValueOption(program, argv);
  if (repeated !== undefined) {
    const e = new CaptureMediaError('InvalidParameter', `${repeated} is given more than once; it takes one value. Give it once.`, { target: repeated });
    await dispatchEvent(errorEvent(e), new CliPresenter(process.stderr, argv.includes('--json'), false).handlers);
    return EXIT_INVALID_ARGUMENT;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      const e = new CaptureMediaError('InvalidParameter', error.message.replace(/^error: /, ''));
      if (argv.includes('--json')) await dispatchEvent(errorEvent(e), new CliPresenter(process.stderr, true, false).handlers);
      return EXIT_INVALID_ARGUMENT;
    }
    throw error;
  }
  return exitCode;
}

function isEntryPoint(): boolean {
  // Started through the launcher (src/cli/launch.ts), which names the core file it runs.
  const launched = (globalThis as Record<symbol, unknown>)[Symbol.for('capture-media.entry')];
  if (typeof launched === 'string') return launched === fileURLToPath(import.meta.url);
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Until main settles the exit code is "failed": if the event loop ever drains while a promise is
  // still pending (a stream event that never comes), Node ends the process with this code, never 0.
  process.exitCode = 1;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`capture-media: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
