function Test-CaptureMediaInteractive {
    <#
    .SYNOPSIS
    True when someone can answer a confirmation prompt in this session.

    .DESCRIPTION
    A prompt in a session nobody watches fails in three different ways, none of them a module
    error: with -NonInteractive, PSInvalidOperationException; with stdin at /dev/null, a
    NullReferenceException out of ShouldProcess; with stdin an open pipe (a scheduled task, a CI
    runner), a wait that never ends. So before prompting the module asks here, and a session that
    cannot answer gets ConfirmationRequired instead. Not interactive:
      - the process is not user-interactive (a service, a scheduled task without a desktop);
      - powershell/pwsh was started with -NonInteractive (or an abbreviation of it);
      - the console host reads stdin from a file or pipe ([Console]::IsInputRedirected).
    Other hosts (ISE, VS Code, a runspace without UI) are left to ShouldProcess, whose failure is
    caught and reported the same way.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()

    if (-not [System.Environment]::UserInteractive) {
        return $false
    }
    # Host options come before -File/-Command; what follows them belongs to the script.
    foreach ($argument in @([System.Environment]::GetCommandLineArgs() | Select-Object -Skip 1)) {
        if ($argument -match '^-(f|file|c|command|encodedcommand|e|ec)$') { break }
        if ($argument -match '^-noni') { return $false }
    }
    if ($Host.Name -eq 'ConsoleHost') {
        try {
            if ([System.Console]::IsInputRedirected) { return $false }
        }
        catch {
            return $false
        }
    }
    return $true
}
