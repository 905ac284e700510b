function Invoke-CaptureMediaCore {
    <#
    .SYNOPSIS
    Runs one request through the capture-media core's NDJSON bridge and maps its events to PowerShell streams.

    .DESCRIPTION
    Starts 'node <cli> bridge' (docs/bridge.md, protocol 1) with System.Diagnostics.Process and
    redirected stdin/stdout/stderr, writes the one-line JSON request, keeps stdin open (closing it
    is how the job is cancelled) and reads stdout line by line on the pipeline thread:

      progress -> Write-Progress (one bar per phase, throttled)
      log      -> verbose: Write-Verbose; info: Write-Information (with -WhatIf: a 'What if:' line);
                  warning: Write-Warning
      result   -> a [pscustomobject] of type -TypeName on the output pipeline
      error    -> an ErrorRecord with FullyQualifiedErrorId = the core's id, the core's category
                  and TargetObject = target

    Errors: the bridge sends at most one error, as its last event; its ErrorRecord carries the
    core's exit code in Exception.Data['ExitCode']. When the job produced no result before
    failing, the error is terminating: nothing was made. When some results were already written
    (one drive of several failed), it is non-terminating, so the media that were made still reach
    the pipeline first. Stop-CaptureMediaCommand decides how (a thrown error when the caller asked
    to stop, so that -ErrorAction Stop really ends a script).

    Stderr is drained with ReadToEndAsync (a Task, no event handlers) so the core can never block
    on a full pipe; it is shown with -Verbose, and quoted in the error when the core dies without
    an error event. Stdout is read with ReadLineAsync and short waits so that Ctrl+C (or a
    downstream 'Select-Object -First') stops the loop promptly; the finally block then closes
    stdin, lets the core clean up (it exits 130) for up to 10 seconds, and kills it after that.

    All records (errors, warnings, progress, ShouldProcess) are written through -Caller so that
    they are attributed to the public command and honour its -ErrorAction/-Verbose/-WhatIf.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('create', 'boot-images', 'disks', 'verify', 'compare')]
        [string] $Command,

        # Only the parameters the user bound, with the bridge's camelCase names.
        [Parameter(Mandatory)]
        [hashtable] $Parameters,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory)]
        [string] $TypeName,

        # The request is a -WhatIf run: the core's info messages (the plan) become 'What if:' lines.
        [switch] $WhatIfRun,

        # For internal look-ups whose failure the public command handles itself: the core's error is
        # thrown as an ordinary exception (catchable in the caller's try/catch) rather than through
        # $Caller.ThrowTerminatingError, which would end the public command.
        [switch] $ThrowErrors
    )

    # The resolvers' errors end Resolve-CaptureMediaRuntime; they are reported here the way every
    # other failure is, so that -ErrorAction Stop stops the script for them too.
    try {
        $runtime = Resolve-CaptureMediaRuntime
        $node = $runtime.Node
        $cli = $runtime.Cli
    }
    catch {
        if ($ThrowErrors) { throw }
        Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord $_
        return
    }

    $request = [ordered]@{ protocol = 1; command = $Command; params = $Parameters }
    $requestJson = ConvertTo-Json -InputObject $request -Compress -Depth 5
    $Caller.WriteDebug(('capture-media bridge request: {0}' -f $requestJson))

    $utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
    $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $node
    # A 1 MiB young generation: the core streams through many short-lived 1 MiB buffers, and V8's
    # default semi-space lets them pile up (peak RSS ~170 MB); with 1 MiB it stays ~125 MB, no slower
    # (docs/benchmarks.md). The capture-media bin's shebang passes the same flag.
    $startInfo.Arguments = '--max-semi-space-size=1 "{0}" bridge' -f $cli
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.StandardOutputEncoding = $utf8
    $startInfo.StandardErrorEncoding = $utf8
    $location = $Caller.SessionState.Path.CurrentFileSystemLocation
    if ($null -ne $location -and [IO.Directory]::Exists($location.ProviderPath)) {
        $startInfo.WorkingDirectory = $location.ProviderPath
    }

    $process = New-Object -TypeName System.Diagnostics.Process
    $process.StartInfo = $startInfo
    try {
        [void]$process.Start()
    }
    catch {
        $message = 'Could not start the capture-media core ''{0} {1}'': {2}' -f $node, $startInfo.Arguments, $_.Exception.Message
        $process.Dispose()
        $startError = New-CaptureMediaErrorRecord -Id 'CoreFailed' -Category 'InvalidOperation' -Message $message -Target $cli
        if ($ThrowErrors) { throw $startError }
        Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord $startError
        return
    }

    $stderrTask = $process.StandardError.ReadToEndAsync()
    $progressState = @{}
    $resultCount = 0
    $errorEvent = $null
    $errorRecord = $null
    $finished = $false
    $exitCode = $null
    try {
        # The request: UTF-8 without a byte-order mark, one line; stdin then stays open.
        # A core that died at start-up breaks the pipe; its exit code and stderr then tell why.
        $requestBytes = $utf8.GetBytes($requestJson + [char]10)
        try {
            $process.StandardInput.BaseStream.Write($requestBytes, 0, $requestBytes.Length)
            $process.StandardInput.BaseStream.Flush()
        }
        catch [System.IO.IOException] {
            $Caller.WriteVerbose(('Could not send the request to the capture-media core: {0}' -f $_.Exception.Message))
        }

        $pending = $null
        while ($true) {
            if ($null -eq $pending) {
                $pending = $process.StandardOutput.ReadLineAsync()
            }
            # Short waits keep the pipeline thread responsive to Ctrl+C (StopProcessing).
            if (-not $pending.Wait(200)) {
                continue
            }
            $line = $pending.Result
            $pending = $null
            if ($null -eq $line) {
                break
            }
            if ([string]::IsNullOrWhiteSpace($line)) {
                continue
            }

            $bridgeEvent = $null
            try {
                $bridgeEvent = ConvertFrom-Json -InputObject $line -ErrorAction Stop
            }
            catch {
                $Caller.WriteVerbose(('capture-media core (not an event): {0}' -f $line))
                continue
            }

            $eventType = [string](Get-CaptureMediaEventValue -InputObject $bridgeEvent -Name 'type' -Default '')
            switch ($eventType) {
                'progress' {
                    Write-CaptureMediaProgress -Caller $Caller -State $progressState -ProgressEvent $bridgeEvent
                }
                'log' {
                    $level = [string](Get-CaptureMediaEventValue -InputObject $bridgeEvent -Name 'level' -Default 'info')
                    $message = ConvertTo-CaptureMediaHostMessage -Message ([string](Get-CaptureMediaEventValue -InputObject $bridgeEvent -Name 'message' -Default ''))
                    if ($level -eq 'warning') {
                        $Caller.WriteWarning($message)
                    }
                    elseif ($level -eq 'verbose') {
                        $Caller.WriteVerbose($message)
                    }
                    elseif ($WhatIfRun) {
                        # In -WhatIf mode ShouldProcess only prints 'What if: <message>' and returns $false.
                        [void]$Caller.ShouldProcess($message, $message, 'Capture media plan')
                    }
                    else {
                        $Caller.WriteInformation($message, [string[]]@('CaptureMedia'))
                    }
                }
                'result' {
                    $data = Get-CaptureMediaEventValue -InputObject $bridgeEvent -Name 'data' -Default $null
                    $resultCount++
                    ConvertTo-CaptureMediaObject -Data $data -TypeName $TypeName
                }
                'error' {
                    # The record is built once the core has exited, with its exit code.
                    $errorEvent = $bridgeEvent
                }
                default {
                    $Caller.WriteVerbose(('capture-media core sent an unknown event: {0}' -f $line))
                }
            }
        }

        # stdout is closed: the core is exiting. Give it a moment, then the finally block takes over.
        if ($process.WaitForExit(15000)) {
            $process.WaitForExit()
            $exitCode = $process.ExitCode
            $finished = $true
        }
    }
    finally {
        if (-not $finished) {
            # Stopped (Ctrl+C, Select-Object -First, an exception) or the core hangs: closing stdin
            # is the cancel signal; the core removes what it created and exits 130.
            try { $process.StandardInput.Close() } catch { $null = $_ }
            $exited = $false
            try { $exited = $process.WaitForExit(10000) } catch { $exited = $true }
            if (-not $exited) {
                try { $process.Kill() } catch { $null = $_ }
            }
            # Nothing after this finally block runs when the pipeline is stopping.
            $process.Dispose()
        }
        else {
            try { $process.StandardInput.Close() } catch { $null = $_ }
        }
        Write-CaptureMediaProgress -Caller $Caller -State $progressState -Completed
    }

    if ($null -ne $errorEvent) {
        $errorId = [string](Get-CaptureMediaEventValue -InputObject $errorEvent -Name 'id' -Default 'CoreFailed')
        $errorRecord = New-CaptureMediaErrorRecord -Id $errorId -Category ([string](Get-CaptureMediaEventValue -InputObject $errorEvent -Name 'category' -Default 'NotSpecified')) -Message ([string](Get-CaptureMediaEventValue -InputObject $errorEvent -Name 'message' -Default '')) -Target (Get-CaptureMediaEventValue -InputObject $errorEvent -Name 'target' -Default $null) -ExitCode $exitCode
    }

    $stderrText = ''
    if ($finished) {
        if ($stderrTask.Wait(5000)) {
            $stderrText = [string]$stderrTask.Result
        }
        $process.Dispose()
    }
    elseif ($null -eq $errorRecord) {
        # Only reached when the core closed stdout but did not exit (a stop skips this code).
        $message = 'The capture-media core closed its output but did not exit within 15 seconds; it was cancelled.'
        $errorRecord = New-CaptureMediaErrorRecord -Id 'CoreFailed' -Category 'InvalidResult' -Message $message -Target $cli
    }
    foreach ($stderrLine in ($stderrText -split '\r?\n')) {
        if (-not [string]::IsNullOrWhiteSpace($stderrLine)) {
            $Caller.WriteVerbose(('capture-media core: {0}' -f $stderrLine))
        }
    }

    if ($null -eq $errorRecord -and $finished -and $exitCode -ne 0) {
        $detail = $stderrText.Trim()
        if ($detail.Length -gt 2000) { $detail = $detail.Substring($detail.Length - 2000) }
        if ($detail.Length -eq 0) { $detail = '(nothing on stderr)' }
        $message = 'The capture-media core exited with code {0} without reporting an error: {1}' -f $exitCode, $detail
        $errorRecord = New-CaptureMediaErrorRecord -Id 'CoreFailed' -Category 'InvalidResult' -Message $message -Target $cli -ExitCode $exitCode
    }
    if ($null -ne $errorRecord) {
        if ($ThrowErrors) {
            throw $errorRecord
        }
        Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord $errorRecord -NonTerminating:($resultCount -gt 0)
    }
}
