function Get-CaptureMediaExitCode {
    <#
    .SYNOPSIS
    The capture-media exit code for an error id, for errors whose process exit code is not known.

    .DESCRIPTION
    Errors found by the module itself (NodeNotFound, CoreNotFound, ConfirmationRequired, ...) and
    errors of a core that did not exit normally get the exit code the CLI gives the same class of
    error, so a scheduled task can map every error to one exit code per class: 2 invalid
    arguments, 3 a precondition failed, 4 source content invalid, 5 write or verify failed,
    130 cancelled, 1 anything else (a bug or a core that died).
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory)]
        [string] $Id,

        [string] $Category = 'NotSpecified'
    )

    # Module-only ids first: they have no category that says their class. Two lookup tables (keys
    # compare case-insensitively, as switch did), so adding an id or a category is one entry.
    $byId = @{ NodeNotFound = 3; NodeTooOld = 3; CoreNotFound = 3; ConfirmationRequired = 3; CoreFailed = 1; Cancelled = 130 }
    $byCategory = @{ InvalidArgument = 2; PermissionDenied = 3; ResourceUnavailable = 3; InvalidData = 4; WriteError = 5; OperationStopped = 130 }
    if ($byId.ContainsKey($Id)) { return $byId[$Id] }
    if ($byCategory.ContainsKey($Category)) { return $byCategory[$Category] }
    return 1
}
