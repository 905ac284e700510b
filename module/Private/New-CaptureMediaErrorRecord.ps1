function New-CaptureMediaErrorRecord {
    <#
    .SYNOPSIS
    Builds the ErrorRecord for an error reported by the core (or found by the module itself).

    .DESCRIPTION
    FullyQualifiedErrorId is the stable error id (DESIGN.md section 3); the category is the
    [System.Management.Automation.ErrorCategory] named by the core (NotSpecified when the name is
    not one PowerShell knows); TargetObject is the value or path concerned. The exception type
    follows the category so that 'catch [System.UnauthorizedAccessException]' and friends work.
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
        [object] $Target
    )

    $errorCategory = [System.Management.Automation.ErrorCategory]::NotSpecified
    if (-not [string]::IsNullOrEmpty($Category) -and [System.Enum]::IsDefined([System.Management.Automation.ErrorCategory], $Category)) {
        $errorCategory = [System.Management.Automation.ErrorCategory]$Category
    }
    if ([string]::IsNullOrEmpty($Message)) {
        $Message = 'The capture-media core reported {0}.' -f $Id
    }

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
    New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $Id, $errorCategory, $Target
}
