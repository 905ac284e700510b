<#
.SYNOPSIS
Rebuilds the capture media ISO on a share: the script a weekly scheduled task runs.

.DESCRIPTION
Runs New-CaptureMedia once, non-interactively: the ISO (or DVD set) at -Path is replaced only
once the new media are complete and verified, so the share never holds a half-written ISO. Every
run appends a line to -TaskLogPath (start, result or error) and the core writes its CMTrace log
to -LogPath.

The exit code tells the task's 'Last Run Result' what happened, one code per error class:
    0    the media were written and verified
    2    invalid arguments (a parameter of this task is wrong: fix the task)
    3    a precondition failed (permission, free space, output folder missing, ...)
    4    the source is invalid (boot image package missing or corrupt)
    5    writing or verifying failed
    130  cancelled (the task was stopped)
    1    anything else: the module or Node.js is missing, or a bug (see the logs)

Register it with examples/Register-CaptureMediaTask.ps1; docs/scheduled-task.md has the account
and share permissions it needs.

.PARAMETER BootImage
The boot image package id (PS100004), read from -DistributionPoint, or the path of a .wim file.

.PARAMETER DistributionPoint
The content library roots to read the package from, such as \\dp01\SCCMContentLib$.

.PARAMETER Path
The ISO to write, such as \\fs01\OSD\Capture\capture.iso.

.PARAMETER MediaSize
Optional: Size4GB etc. to split the media into a DVD set.

.PARAMETER LogPath
The core's CMTrace log (default: the core's, %ProgramData%\CaptureMedia\Logs\CaptureMedia.log).

.PARAMETER TaskLogPath
One line per run and per outcome (default: %ProgramData%\CaptureMedia\Logs\ScheduledTask.log).

.EXAMPLE
powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File Update-CaptureMediaIso.ps1 -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -Path \\fs01\OSD\Capture\capture.iso

What the scheduled task runs.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $BootImage,

    [string[]] $DistributionPoint,

    [Parameter(Mandatory)]
    [string] $Path,

    [string] $MediaSize,

    [string] $LogPath,

    [string] $TaskLogPath
)

if ([string]::IsNullOrEmpty($TaskLogPath)) {
    $logRoot = [Environment]::GetFolderPath('CommonApplicationData')
    $TaskLogPath = [IO.Path]::Combine($logRoot, 'CaptureMedia', 'Logs', 'ScheduledTask.log')
}

function Write-TaskLog {
    param([string] $Message)
    $line = '{0:yyyy-MM-dd HH:mm:ss} [{1}] {2}' -f (Get-Date), $PID, $Message
    try {
        $folder = [IO.Path]::GetDirectoryName($TaskLogPath)
        if (-not [IO.Directory]::Exists($folder)) { [void][IO.Directory]::CreateDirectory($folder) }
        [IO.File]::AppendAllText($TaskLogPath, $line + [Environment]::NewLine)
    }
    catch {
        # A log that cannot be written must not change the outcome; the task's history still has the exit code.
        Write-Warning ('Could not write {0}: {1}' -f $TaskLogPath, $_.Exception.Message)
    }
    Write-Output $line
}

Write-TaskLog ('Rebuilding {0} from {1}' -f $Path, $BootImage)
try {
    Import-Module -Name CaptureMedia -ErrorAction Stop
    $parameters = @{
        MediaType   = 'CdDvd'
        Path        = $Path
        BootImage   = $BootImage
        Force       = $true
        ErrorAction = 'Stop'
    }
    if ($DistributionPoint) { $parameters['DistributionPoint'] = $DistributionPoint }
    if ($MediaSize) { $parameters['MediaSize'] = $MediaSize }
    if ($LogPath) { $parameters['LogPath'] = $LogPath }
    $results = @(New-CaptureMedia @parameters)
    foreach ($result in $results) {
        Write-TaskLog ('Written and verified={0}: {1} ({2} files, {3} bytes, {4} s)' -f $result.Verified, (@($result.Path) -join ', '), $result.Files, $result.Bytes, $result.Duration)
    }
    exit 0
}
catch {
    $exitCode = 1
    $id = 'Unexpected'
    if ($null -ne $_.Exception.Data -and $_.Exception.Data.Contains('ExitCode')) {
        $exitCode = [int]$_.Exception.Data['ExitCode']
        $id = [string]$_.Exception.Data['ErrorId']
    }
    Write-TaskLog ('Failed with {0} (exit {1}): {2}' -f $id, $exitCode, $_.Exception.Message)
    exit $exitCode
}
