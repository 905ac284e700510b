// The Windows disk layer's public surface (the FAKES in testing/ are deliberately not exported here).
export { NodePowerShellSession, psDiskNumber, psJsonArgument, type PowerShellSession, type PowerShellSessionOptions } from './powershell-session.js';
export { buildDiskInfos, queryAllDisks, queryDisk, BUS_TYPE_NAMES, type RawDisk, type RawPartition, type RawVolume, type WindowsDiskFacts } from './get-disk.js';
export { WindowsDiskProvider, parseWindowsTarget, type WindowsTarget } from './provider.js';
export {
  diskpartScript,
  validateDiskpartLabel,
  runDiskpart,
  withDiskpartLock,
  prepareWindowsDisk,
  whatIfPlan,
  execaRunner,
  TRANSIENT_EXIT_CODES,
  DISKPART_MAX_ATTEMPTS,
  type CommandRunner,
  type CommandResult,
  type PrepareDeps,
  type PreparedDisk,
  type RunDiskpartOptions,
} from './diskpart.js';
export { assertElevated, isElevated } from './elevation.js';
export { judgeWindowsDisk } from './safety.js';
