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

    # Module-only ids first: they have no category that says their class.
    switch ($Id) {
        'NodeNotFound' { return 3 }
        'NodeTooOld' { return 3 }
        'CoreNotFound' { return 3 }
        'ConfirmationRequired' { return 3 }
        'CoreFailed' { return 1 }
        'Cancelled' { return 130 }
    }
    switch ($Category) {
        'InvalidArgument' { return 2 }
        'PermissionDenied' { return 3 }
        'ResourceUnavailable' { return 3 }
        'InvalidData' { return 4 }
        'WriteError' { return 5 }
        'OperationStopped' { return 130 }
    }
    return 1
}
