function Write-CaptureMediaProgress {
    <#
    .SYNOPSIS
    Maps a bridge 'progress' event to Write-Progress, at most about four updates a second per phase.

    .DESCRIPTION
    One progress bar (activity id) per phase: write, then verify (a phase the core may add later
    gets a bar of its own, named after it). The core already samples at
    4 Hz per phase; this throttle keeps a slow host (remoting, ISE) from being flooded when
    several drives report at once. The first event of a phase and any event at 100 percent are
    always shown. With -Completed, closes every bar that was opened.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        # Per-call state: phase -> @{ Id; LastMilliseconds; Activity }, plus a Stopwatch.
        [Parameter(Mandatory)]
        [hashtable] $State,

        [object] $ProgressEvent,

        [switch] $Completed
    )

    if (-not $State.ContainsKey('Stopwatch')) {
        $State['Stopwatch'] = [System.Diagnostics.Stopwatch]::StartNew()
        $State['Phases'] = @{}
    }
    $phases = $State['Phases']

    if ($Completed) {
        foreach ($entry in $phases.Values) {
            $record = New-Object -TypeName System.Management.Automation.ProgressRecord -ArgumentList $entry.Id, $entry.Activity, 'Done'
            $record.RecordType = [System.Management.Automation.ProgressRecordType]::Completed
            $Caller.WriteProgress($record)
        }
        $phases.Clear()
        return
    }

    $phase = [string](Get-CaptureMediaEventValue -InputObject $ProgressEvent -Name 'phase' -Default 'work')
    $now = $State['Stopwatch'].ElapsedMilliseconds
    $percent = Get-CaptureMediaEventValue -InputObject $ProgressEvent -Name 'percent' -Default $null
    $percentValue = -1
    if ($null -ne $percent) {
        $percentValue = [int][Math]::Max(0, [Math]::Min(100, [Math]::Floor([double]$percent)))
    }

    $entry = $phases[$phase]
    if ($null -eq $entry) {
        $activity = switch ($phase) {
            'write' { 'Writing capture media' }
            'verify' { 'Verifying capture media' }
            default { 'Capture media: {0}' -f $phase }
        }
        $entry = @{ Id = 4100 + $phases.Count; LastMilliseconds = [long]-1000000; Activity = $activity }
        $phases[$phase] = $entry
    }
    elseif ($percentValue -lt 100 -and ($now - $entry.LastMilliseconds) -lt 250) {
        return
    }
    $entry.LastMilliseconds = $now

    $status = [string](Get-CaptureMediaEventValue -InputObject $ProgressEvent -Name 'status' -Default '')
    $bytesDone = Get-CaptureMediaEventValue -InputObject $ProgressEvent -Name 'bytesDone' -Default $null
    $bytesTotal = Get-CaptureMediaEventValue -InputObject $ProgressEvent -Name 'bytesTotal' -Default $null
    if ($null -ne $bytesDone -and $null -ne $bytesTotal -and [double]$bytesTotal -gt 0) {
        $sizes = '{0:N0} of {1:N0} MiB' -f ([double]$bytesDone / 1MB), ([double]$bytesTotal / 1MB)
        if ([string]::IsNullOrEmpty($status)) { $status = $sizes } else { $status = '{0} ({1})' -f $status, $sizes }
    }
    if ([string]::IsNullOrEmpty($status)) { $status = $phase }

    $record = New-Object -TypeName System.Management.Automation.ProgressRecord -ArgumentList $entry.Id, $entry.Activity, $status
    $record.PercentComplete = $percentValue
    $Caller.WriteProgress($record)
}
