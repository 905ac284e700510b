function New-CaptureMediaErrorRecord {
    <#
    .SYNOPSIS
    Builds the ErrorRecord for an error reported by the core (or found by the module itself).

    .DESCRIPTION
    FullyQualifiedErrorId is the stable error id (the README's error table); the category is the
    [System.Management.Automation.ErrorCategory] named by the core (NotSpecified when the name is
    not one PowerShell knows); TargetObject is the value or path concerned. The exception type
    follows the category so that 'catch [System.UnauthorizedAccessException]' and friends work.

    The exception's Data carries what a scheduled task needs to end with a meaningful exit code:
    Data['ExitCode'] is the capture-media CLI's exit code for this error (2 invalid arguments,
    3 precondition, 4 source invalid, 5 write or verify failed, 130 cancelled, 1 internal) and
    Data['ErrorId'] the bare error id.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [string] $Id,

        [string] $Category = 'NotSpecified',

        [Parameter(Mandatory)]
        [AllowEmptyString()]
        [string] $Message,

        [AllowNull()]
        [object] $Target,

        # The exit code the core exited with; when not known, the module's own table decides.
        [AllowNull()]
        [object] $ExitCode
    )

    $errorCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
    if (-not [string]::IsNullOrEmpty($Category) -and [System.Enum]::IsDefined([System.Management.Automation.ErrorCategory], $Category)) {
        $errorCategory = [System.Management.Automation.ErrorCategory]$Category
    }
    if ([string]::IsNullOrEmpty($Message)) {
        $Message = 'The capture-media core reported {0}.' -f $Id
    }
    $Message = ConvertTo-CaptureMediaHostMessage -Message $Message

    $exceptionType = switch ($Category) {
        'InvalidArgument' { 'System.ArgumentException' }
        'PermissionDenied' { 'System.UnauthorizedAccessException' }
        'InvalidData' { 'System.IO.InvalidDataException' }
        'WriteError' { 'System.IO.IOException' }
        'OperationStopped' { 'System.OperationCanceledException' }
        'ObjectNotFound' { 'System.IO.FileNotFoundException' }
        default { 'System.InvalidOperationException' }
    }
    $exception = New-Object -TypeName $exceptionType -ArgumentList $Message
    $code = 0
    if ($null -eq $ExitCode -or -not [int]::TryParse([string]$ExitCode, [ref]$code) -or $code -eq 0) {
        $code = Get-CaptureMediaExitCode -Id $Id -Category $Category
    }
    $exception.Data['ExitCode'] = $code
    $exception.Data['ErrorId'] = $Id
    New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $Id, $errorCategory, $Target
}
