function Confirm-CaptureMediaAction {
    <#
    .SYNOPSIS
    Asks before something is destroyed (a disk erased, an existing output replaced); never hangs.

    .DESCRIPTION
    Returns $true when the action may go ahead: -Force was given, -Confirm:$false (or a
    $ConfirmPreference of 'None' where the command was called) says not to ask, or the user
    answered yes. Returns $false when the user answered no. When a prompt is needed but nobody
    can answer it (Test-CaptureMediaInteractive), or the host cannot prompt, the command stops
    at once with ConfirmationRequired (exit code 3), thrown so that the script stops too: a
    scheduled task must never go on as if the media had been made, nor wait for an answer.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        # What the prompt names: the disk (number, model, bus, size) or the file.
        [Parameter(Mandatory)]
        [string] $Target,

        [Parameter(Mandatory)]
        [string] $Action,

        [switch] $Force
    )

    if ($Force) {
        return $true
    }
    $bound = $Caller.MyInvocation.BoundParameters
    $wouldPrompt = $true
    if ($bound.ContainsKey('Confirm')) {
        $wouldPrompt = [bool]$bound['Confirm']
    }
    else {
        # ConfirmImpact is High: only a preference of 'None' silences the prompt.
        $preference = [string]$Caller.SessionState.PSVariable.GetValue('ConfirmPreference')
        if ($preference -eq 'None') { $wouldPrompt = $false }
    }
    if (-not $wouldPrompt) {
        return $true
    }

    $message = '{0}: {1}. This needs a confirmation, and this session cannot ask for one (it is non-interactive: -NonInteractive, no console, or input redirected). Add -Force or -Confirm:$false to the command if this is intended.' -f $Action, $Target
    $refusal = New-CaptureMediaErrorRecord -Id 'ConfirmationRequired' -Category 'PermissionDenied' -Message $message -Target $Target
    if (-not (Test-CaptureMediaInteractive)) {
        Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord $refusal -ScriptTerminating
    }
    try {
        return $Caller.ShouldProcess($Target, $Action)
    }
    catch [System.Management.Automation.PipelineStoppedException] {
        throw
    }
    catch {
        # The host cannot prompt (PSInvalidOperationException, a NullReferenceException from a
        # closed stdin, a host without UI): the same refusal, never the host's exception.
        Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord $refusal -ScriptTerminating
    }
}
