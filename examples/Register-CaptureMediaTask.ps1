<#
.SYNOPSIS
Registers the weekly scheduled task that rebuilds the capture media ISO on a share.

.DESCRIPTION
Creates (or, with confirmation, replaces) the task \CaptureMedia\Rebuild capture ISO, which runs
Update-CaptureMediaIso.ps1 with Windows PowerShell, -NonInteractive, once a week. The task runs as
a group managed service account (-GroupManagedServiceAccount CONTOSO\gmsa-capture$, no password
to store) or as SYSTEM (-System: over the network it acts as the computer account). The account
needs Read on the content library share and Modify on the output share: docs/scheduled-task.md.
Windows only (the ScheduledTasks module).

.PARAMETER BootImage
The boot image package id (PS100004) or .wim path the task rebuilds from.

.PARAMETER DistributionPoint
The content library roots, such as \\dp01\SCCMContentLib$.

.PARAMETER Path
The ISO the task writes, such as \\fs01\OSD\Capture\capture.iso.

.PARAMETER GroupManagedServiceAccount
Run as this gMSA (DOMAIN\name$). It must be installed on this computer (Install-ADServiceAccount).

.PARAMETER System
Run as SYSTEM (the computer account DOMAIN\COMPUTER$ on the network).

.PARAMETER DayOfWeek
The day of the weekly run (default Sunday).

.PARAMETER At
The time of the run (default 03:00).

.PARAMETER ScriptPath
Where Update-CaptureMediaIso.ps1 is (default: beside this script). Keep it in a folder only
administrators can change: the task runs it with the task account's rights.

.EXAMPLE
.\Register-CaptureMediaTask.ps1 -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -Path \\fs01\OSD\Capture\capture.iso -GroupManagedServiceAccount 'CONTOSO\gmsa-capture$'

Registers the task to run as a gMSA every Sunday at 03:00.

.EXAMPLE
.\Register-CaptureMediaTask.ps1 -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -Path \\fs01\OSD\Capture\capture.iso -System -DayOfWeek Saturday -At 22:30

Registers the task to run as SYSTEM every Saturday at 22:30.
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Gmsa')]
param(
    [Parameter(Mandatory)]
    [string] $BootImage,

    [string[]] $DistributionPoint,

    [Parameter(Mandatory)]
    [string] $Path,

    [Parameter(Mandatory, ParameterSetName = 'Gmsa')]
    [ValidatePattern('^[^\\]+\\[^\\]+\$$')]
    [string] $GroupManagedServiceAccount,

    [Parameter(Mandatory, ParameterSetName = 'System')]
    [switch] $System,

    [ValidateSet('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')]
    [string] $DayOfWeek = 'Sunday',

    [datetime] $At = '03:00',

    [string] $ScriptPath = ([IO.Path]::Combine($PSScriptRoot, 'Update-CaptureMediaIso.ps1'))
)

$taskName = 'Rebuild capture ISO'
$taskPath = '\CaptureMedia\'

# Each argument quoted for the command line the task starts (a path may hold spaces).
$arguments = @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', ('"{0}"' -f $ScriptPath), '-BootImage', ('"{0}"' -f $BootImage), '-Path', ('"{0}"' -f $Path))
if ($DistributionPoint) {
    $arguments += '-DistributionPoint'
    $arguments += (@($DistributionPoint | ForEach-Object { '"{0}"' -f $_ }) -join ',')
}
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ($arguments -join ' ')
$trigger = New-ScheduledTaskTrigger -Weekly -DaysOfWeek $DayOfWeek -At $At
if ($System) {
    $principal = New-ScheduledTaskPrincipal -UserId 'NT AUTHORITY\SYSTEM' -LogonType ServiceAccount -RunLevel Highest
}
else {
    # A gMSA logs on with LogonType Password; Windows fetches its password from AD.
    $principal = New-ScheduledTaskPrincipal -UserId $GroupManagedServiceAccount -LogonType Password -RunLevel Limited
}
# One run at a time, stopped after 4 hours (the core then removes what it created).
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Hours 4) -StartWhenAvailable

$existing = Get-ScheduledTask -TaskName $taskName -TaskPath $taskPath -ErrorAction SilentlyContinue
$what = 'Register the weekly task {0}{1}' -f $taskPath, $taskName
if ($null -ne $existing) { $what = 'Replace the existing task {0}{1}' -f $taskPath, $taskName }
if ($PSCmdlet.ShouldProcess($what, $what, 'Scheduled task')) {
    Register-ScheduledTask -TaskName $taskName -TaskPath $taskPath -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Description 'Rebuilds the Configuration Manager capture media ISO (CaptureMedia module).' -Force
}
